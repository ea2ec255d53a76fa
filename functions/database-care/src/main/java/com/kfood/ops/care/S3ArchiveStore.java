package com.kfood.ops.care;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.BlockingOutputStreamAsyncRequestBody;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The backup bucket as the archive's store. An archive streams into the SDK's multipart upload of
 * unknown length (parts buffered by the SDK, never the whole table): it inherits the bucket's KMS
 * key, Object Lock, versioning and replication like every other backup. The asynchronous client
 * is made on the first upload only: a run with nothing to archive never opens Netty.
 */
final class S3ArchiveStore implements ArchiveStore {
    private final S3Client s3;
    private final Supplier<S3AsyncClient> multipart;
    private final String bucket;
    private S3AsyncClient async;

    S3ArchiveStore(S3Client s3, Supplier<S3AsyncClient> multipart, String bucket) {
        this.s3 = s3;
        this.multipart = multipart;
        this.bucket = bucket;
    }

    @Override
    public Upload upload(String key, Map<String, String> metadata) {
        if (async == null) {
            async = multipart.get();
        }
        BlockingOutputStreamAsyncRequestBody body = AsyncRequestBody.forBlockingOutputStream(null);
        CompletableFuture<PutObjectResponse> done = async.putObject(
                b -> b.bucket(bucket)
                        .key(key)
                        .contentType("text/csv")
                        .contentEncoding("gzip")
                        .metadata(metadata),
                body);
        var out = body.outputStream();
        return new Upload() {
            @Override
            public OutputStream stream() {
                return out;
            }

            @Override
            public String complete() throws IOException {
                out.close();
                try {
                    return done.join().versionId();
                } catch (CompletionException e) {
                    throw new IOException(
                            "the upload of " + key + " failed: " + e.getCause().getMessage(), e.getCause());
                }
            }

            @Override
            public void abort() {
                out.cancel(); // the SDK aborts the multipart upload: no part is left to pay for
                done.cancel(true);
            }
        };
    }

    @Override
    public InputStream read(String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public void putText(String key, String text) {
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    /**
     * Listed first: a role may list {@code partitions/} only, and without a list permission a missing
     * key answers 403, not 404.
     */
    @Override
    public Optional<String> text(String key) {
        boolean there = s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream()
                .anyMatch(o -> o.key().equals(key));
        try {
            return there
                    ? Optional.of(
                            s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String())
                    : Optional.empty();
        } catch (NoSuchKeyException e) {
            return Optional.empty(); // deleted between the list and the read
        }
    }

    @Override
    public void tag(String key, String versionId, Map<String, String> tags) {
        s3.putObjectTagging(b -> b.bucket(bucket)
                .key(key)
                .versionId(versionId)
                .tagging(t -> t.tagSet(tags.entrySet().stream()
                        .map(e -> Tag.builder()
                                .key(e.getKey())
                                .value(e.getValue())
                                .build())
                        .toList())));
    }

    @Override
    public String where(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
