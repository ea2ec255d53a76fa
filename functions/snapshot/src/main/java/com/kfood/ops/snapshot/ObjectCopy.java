package com.kfood.ops.snapshot;

import com.kfood.ops.shared.AwsClients;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * One object copied server-side, the uploads backup's and the restore's alike: one CopyObject up to
 * the threshold (5 GiB, CopyObject's limit, unless configured lower); above it the SDK's multipart
 * copy (UploadPartCopy, the parts at once). The SDK carries the source's metadata over (and its
 * tags, asked to below), pins the source's ETag, and aborts the upload when a part fails; the backup
 * bucket's lifecycle rules remove what a crash leaves. The multipart copy needs an asynchronous HTTP
 * client (Netty), so its client is made on the first large object: a day without one never loads
 * it, and the cold start stays the url-connection client's.
 */
final class ObjectCopy {
    /** CopyObject copies at most 5 GiB in one call. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

    /** S3's smallest part (all but the last). */
    static final long MIN_PART = 5L * 1024 * 1024;

    private static final long MAX_PART = 256L * 1024 * 1024;

    private final S3Client s3;
    private final Supplier<S3AsyncClient> multipartFactory;
    private final long threshold;
    private S3AsyncClient multipart;

    /** {@code threshold}: objects larger than this go in parts; at most {@link #MAX_SINGLE_COPY}. */
    ObjectCopy(S3Client s3, Supplier<S3AsyncClient> multipartFactory, long threshold) {
        if (threshold < 2 * MIN_PART || threshold > MAX_SINGLE_COPY) {
            throw new IllegalArgumentException("multipart threshold out of range: " + threshold);
        }
        this.s3 = s3;
        this.multipartFactory = multipartFactory;
        this.threshold = threshold;
    }

    /** The function's: the multipart client's region, credentials and endpoint as every client of {@code aws}. */
    static ObjectCopy of(S3Client s3, AwsClients aws, long threshold, int concurrency) {
        return new ObjectCopy(s3, () -> multipartClient(aws, threshold, concurrency), threshold);
    }

    /** The version a manifest names, copied back out of the backup to {@code bucket}/{@code key}. */
    String restore(String backupBucket, Manifest.Entry e, String bucket, String key) {
        return copy(
                CopyObjectRequest.builder()
                        .sourceBucket(backupBucket)
                        .sourceKey(UploadsBackup.CURRENT + e.key())
                        .sourceVersionId(e.versionId())
                        .destinationBucket(bucket)
                        .destinationKey(key)
                        .build(),
                e.size());
    }

    boolean inParts(long size) {
        return size > threshold;
    }

    /** Copies as {@code request} says an object of {@code size} bytes; returns the copy's version id (null when unversioned). */
    String copy(CopyObjectRequest request, long size) {
        if (!inParts(size)) {
            return s3.copyObject(request.toBuilder()
                            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(5)))
                            .build())
                    .versionId();
        }
        try {
            // CopyObject copies the tags unless told otherwise; the SDK's multipart copy only when told to
            return multipart()
                    .copyObject(request.toBuilder()
                            .taggingDirective(TaggingDirective.COPY)
                            .build())
                    .join()
                    .versionId();
        } catch (CompletionException e) {
            // the SDK's own exception, as the synchronous client throws it
            if (e.getCause() instanceof SdkException s) {
                throw s;
            }
            throw e;
        }
    }

    private synchronized S3AsyncClient multipart() {
        if (multipart == null) {
            multipart = multipartFactory.get();
        }
        return multipart;
    }

    /**
     * Parts of half the threshold, 5 MiB to 256 MiB: a 6 GiB object above the default threshold in
     * 24 parts. The SDK raises the size when an object would need more than 10,000 parts.
     */
    static long partSize(long threshold) {
        return Math.max(MIN_PART, Math.min(MAX_PART, threshold / 2));
    }

    private static S3AsyncClient multipartClient(AwsClients aws, long threshold, int concurrency) {
        return aws.buildAsync(
                S3AsyncClient.builder()
                        .forcePathStyle(aws.s3PathStyle())
                        .multipartEnabled(true)
                        .multipartConfiguration(
                                m -> m.thresholdInBytes(threshold).minimumPartSizeInBytes(partSize(threshold))),
                "S3",
                // a part copy of 256 MiB answers once S3 has copied it
                NettyNioAsyncHttpClient.builder().maxConcurrency(concurrency).readTimeout(Duration.ofMinutes(2)));
    }
}
