package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** What counts as the version the manifest recorded. */
class UploadsVerifyTest {
    private static final Manifest.Entry ENTRY =
            new Manifest.Entry("videos/a.mp4", "v1", 11_534_336, "\"257a1c39e113fd8c69c050a6c355124d\"");

    private static HeadObjectResponse head(long size, String etag) {
        return HeadObjectResponse.builder().contentLength(size).eTag(etag).build();
    }

    @Test
    void theSizeAndTheEtagMustBeTheRecordedOnes() {
        assertThat(UploadsVerify.same(head(11_534_336, ENTRY.etag()), ENTRY)).isTrue();
        assertThat(UploadsVerify.same(head(11_534_335, ENTRY.etag()), ENTRY)).isFalse();
        assertThat(UploadsVerify.same(head(11_534_336, "\"0123456789abcdef0123456789abcdef\""), ENTRY))
                .isFalse();
    }

    @Test
    void aCopyInPartsIsJudgedByItsSizeForS3ComputesItsEtagFromTheParts() {
        assertThat(UploadsVerify.same(head(11_534_336, "\"812963ea0674b55516806cffe0b6f046-3\""), ENTRY))
                .isTrue();
        assertThat(UploadsVerify.same(head(1, "\"812963ea0674b55516806cffe0b6f046-3\""), ENTRY))
                .isFalse();
    }
}
