package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BusyTimeTest {
    private long now;
    private final BusyTime busy = new BusyTime(() -> now);

    @Test
    void overlappingIntervalsCountOnce() {
        now = 0;
        busy.start();
        now = 5;
        busy.start();
        now = 10;
        busy.end();
        now = 20;
        busy.end();
        now = 30;
        busy.start();
        now = 35;
        busy.end();

        assertThat(busy.nanos()).isEqualTo(25);
    }

    @Test
    void anOpenIntervalCountsUpToNow() {
        now = 100;
        busy.start();
        now = 140;

        assertThat(busy.nanos()).isEqualTo(40);
    }

    @Test
    void anEndWithoutStartIsIgnored() {
        busy.end();
        now = 50;
        busy.start();
        now = 60;
        busy.end();

        assertThat(busy.nanos()).isEqualTo(10);
    }
}
