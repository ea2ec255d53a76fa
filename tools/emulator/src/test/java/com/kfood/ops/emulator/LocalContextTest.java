package com.kfood.ops.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalContextTest {

    @Test
    void aGivenRequestIdIsHandedOverAsIs() {
        LocalContext ctx = new LocalContext("bench-1", "PruneFunction", 60, 512);
        assertThat(ctx.getAwsRequestId()).isEqualTo("bench-1");
        assertThat(ctx.getFunctionName()).isEqualTo("PruneFunction");
        assertThat(ctx.getRemainingTimeInMillis()).isBetween(1, 60_000);
    }

    @Test
    void withoutOneEachContextGetsItsOwn() {
        assertThat(new LocalContext("f", 3, 128).getAwsRequestId())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
                .isNotEqualTo(new LocalContext("f", 3, 128).getAwsRequestId());
    }
}
