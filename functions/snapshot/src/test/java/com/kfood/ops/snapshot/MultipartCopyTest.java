package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MultipartCopyTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void onlyObjectsAboveTheThresholdGoInPartsAndNoClientIsMadeToSayIt() {
        MultipartCopy large = new MultipartCopy(
                () -> {
                    throw new AssertionError("no client is made to decide");
                },
                MultipartCopy.MAX_SINGLE_COPY);

        assertThat(large.needed(MultipartCopy.MAX_SINGLE_COPY)).isFalse();
        assertThat(large.needed(MultipartCopy.MAX_SINGLE_COPY + 1)).isTrue();
    }

    @Test
    void partsAreHalfTheThresholdWithinS3sBounds() {
        assertThat(MultipartCopy.partSize(MultipartCopy.MAX_SINGLE_COPY)).isEqualTo(256 * MIB);
        assertThat(MultipartCopy.partSize(100 * MIB)).isEqualTo(50 * MIB);
        // S3 refuses parts under 5 MiB (but the last)
        assertThat(MultipartCopy.partSize(10 * MIB)).isEqualTo(5 * MIB);
    }

    @Test
    void aThresholdCopyObjectCannotHonourOrThatLeavesNoRoomForTwoPartsIsRefused() {
        assertThatThrownBy(() -> new MultipartCopy(() -> null, MultipartCopy.MAX_SINGLE_COPY + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MultipartCopy(() -> null, 9 * MIB)).isInstanceOf(IllegalArgumentException.class);
    }
}
