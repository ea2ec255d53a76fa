package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrowthTest {
    @Test
    void halfAGibibyteADayFromSeventyFillsAHundredInSixtyDays() {
        List<Double> used = new ArrayList<>();
        for (int day = 0; day < 31; day++) {
            used.add(55 + 0.5 * day);
        }
        Growth g = Growth.of(used).orElseThrow();

        assertThat(g.perDay()).isCloseTo(0.5, within(1e-9));
        assertThat(g.latest()).isEqualTo(70.0);
        assertThat(g.daysUntil(100).getAsDouble()).isCloseTo(60, within(1e-9));
    }

    @Test
    void aDayWithoutAValueIsSkippedNotReadAsADrop() {
        Growth g = Growth.of(Arrays.asList(10.0, null, 11.0, 11.5, null)).orElseThrow();

        assertThat(g.perDay()).isCloseTo(0.5, within(1e-9));
        assertThat(g.latest()).isEqualTo(11.5);
        assertThat(g.days()).isEqualTo(3);
    }

    @Test
    void flatOrShrinkingStorageIsNeverFull() {
        assertThat(Growth.of(List.of(50.0, 50.0, 50.0)).orElseThrow().daysUntil(100))
                .isEmpty();
        assertThat(Growth.of(List.of(50.0, 49.0)).orElseThrow().daysUntil(100)).isEmpty();
    }

    @Test
    void oneValueIsNoGrowth() {
        assertThat(Growth.of(Arrays.asList(null, 42.0))).isEmpty();
    }
}
