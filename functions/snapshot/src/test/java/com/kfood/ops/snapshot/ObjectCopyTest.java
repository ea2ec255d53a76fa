package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectCopyTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void onlyObjectsAboveTheThresholdGoInPartsAndNoClientIsMadeToSayIt() {
        ObjectCopy copier = new ObjectCopy(
                null,
                () -> {
                    throw new AssertionError("no client is made to decide");
                },
                ObjectCopy.MAX_SINGLE_COPY);

        assertThat(copier.inParts(ObjectCopy.MAX_SINGLE_COPY)).isFalse();
        assertThat(copier.inParts(ObjectCopy.MAX_SINGLE_COPY + 1)).isTrue();
    }

    @Test
    void partsAreHalfTheThresholdWithinS3sBounds() {
        assertThat(ObjectCopy.partSize(ObjectCopy.MAX_SINGLE_COPY)).isEqualTo(256 * MIB);
        assertThat(ObjectCopy.partSize(100 * MIB)).isEqualTo(50 * MIB);
        // S3 refuses parts under 5 MiB (but the last)
        assertThat(ObjectCopy.partSize(10 * MIB)).isEqualTo(5 * MIB);
    }

    @Test
    void aThresholdCopyObjectCannotHonourOrThatLeavesNoRoomForTwoPartsIsRefused() {
        assertThatThrownBy(() -> new ObjectCopy(null, () -> null, ObjectCopy.MAX_SINGLE_COPY + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ObjectCopy(null, () -> null, 9 * MIB))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
