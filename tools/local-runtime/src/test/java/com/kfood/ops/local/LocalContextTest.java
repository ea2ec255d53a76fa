package com.kfood.ops.local;

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
                .matches("[0-9a-f-]{36}")
                .isNotEqualTo(new LocalContext("f", 3, 128).getAwsRequestId());
    }
}
