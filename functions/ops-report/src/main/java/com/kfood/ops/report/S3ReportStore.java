package com.kfood.ops.report;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Reports in the reports bucket ({@code reports/<kind>/<day>.json|.html}, encrypted by the bucket's
 * default key), linked by a pre-signed GET that expires after {@code lifetime}: the link carries the
 * function role's temporary credentials, so it can never outlive their session either.
 */
final class S3ReportStore implements ReportStore {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final Duration lifetime;

    S3ReportStore(S3Client s3, S3Presigner presigner, String bucket, Duration lifetime) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.lifetime = lifetime;
    }

    Runnable primingCall() {
        return () -> s3.headObject(b -> b.bucket(bucket).key("reports/priming"));
    }

    @Override
    public void store(String key, String json, String html) {
        s3.putObject(
                b -> b.bucket(bucket).key("reports/" + key + ".html").contentType("text/html; charset=utf-8"),
                RequestBody.fromString(html, StandardCharsets.UTF_8));
        s3.putObject(
                b -> b.bucket(bucket).key("reports/" + key + ".json").contentType("application/json"),
                RequestBody.fromString(json, StandardCharsets.UTF_8));
    }

    @Override
    public boolean claimNotification(String key) {
        try {
            // S3's conditional write: only the first delivery creates the marker
            s3.putObject(b -> b.bucket(bucket).key("reports/" + key + ".sent").ifNoneMatch("*"), RequestBody.empty());
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void releaseNotification(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key("reports/" + key + ".sent"));
    }

    @Override
    public String link(String key) {
        return presigner
                .presignGetObject(p -> p.signatureDuration(lifetime)
                        .getObjectRequest(g -> g.bucket(bucket).key("reports/" + key + ".html")))
                .url()
                .toString();
    }
}
