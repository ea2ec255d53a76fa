package com.kfood.ops.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A manifest uploaded as it is written: parts of {@link #PART} bytes go to a multipart upload as they
 * fill, so the function holds one part, never the whole manifest. A manifest smaller than a part is
 * one PutObject. Nothing is visible until {@link #complete}; {@link #abort} (or a crash, which the
 * bucket's lifecycle rule for incomplete uploads ends) leaves no object.
 */
final class ManifestUpload extends OutputStream {
    /** 8 MiB: S3's parts are at least 5 MiB; a million entries are about 40 MiB of gzip. */
    static final int PART = 8 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final List<CompletedPart> parts = new ArrayList<>();
    private ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    private String uploadId;
    private boolean closed;

    ManifestUpload(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public void write(int b) {
        buffer.write(b);
        flushPart(false);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
        flushPart(false);
    }

    /** Closing the gzip stream closes this: the bytes stay until {@link #complete} or {@link #abort}. */
    @Override
    public void close() {
        closed = true;
    }

    /** Makes the manifest visible: the last part and the completion, or one PutObject when it is small. */
    void complete() {
        if (!closed) {
            throw new IllegalStateException("the manifest's writer is still open");
        }
        if (uploadId == null) {
            s3.putObject(
                    b -> b.bucket(bucket)
                            .key(key)
                            .contentType("application/x-ndjson")
                            .contentEncoding("gzip"),
                    RequestBody.fromBytes(buffer.toByteArray()));
            return;
        }
        flushPart(true);
        s3.completeMultipartUpload(
                b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
    }

    /** Leaves nothing behind: the upload's parts are discarded. */
    void abort() {
        if (uploadId != null) {
            String id = uploadId;
            uploadId = null;
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id));
        }
    }

    private void flushPart(boolean last) {
        if (buffer.size() < PART && !(last && buffer.size() > 0)) {
            return;
        }
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket)
                            .key(key)
                            .contentType("application/x-ndjson")
                            .contentEncoding("gzip"))
                    .uploadId();
        }
        int number = parts.size() + 1;
        byte[] bytes = buffer.toByteArray();
        buffer = new ByteArrayOutputStream(64 * 1024);
        String etag = s3.uploadPart(
                        b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        RequestBody.fromBytes(bytes))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    }
}
