package com.kfood.ops.deploy;

import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.OpsLog;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link OnceMarkers} with S3's conditional write: the first {@code PutObject If-None-Match: *} of
 * a key wins, any later one gets 412. The state bucket's lifecycle expires the markers after a day,
 * which is the deduplication window.
 */
public final class S3OnceMarkers implements OnceMarkers {
    private final S3Client s3;
    private final String bucket;
    private final OpsLog log;

    public S3OnceMarkers(S3Client s3, String bucket, OpsLog log) {
        this.s3 = s3;
        this.bucket = bucket;
        this.log = log;
    }

    @Override
    public Runnable primingCall() {
        return () -> s3.putObject(b -> b.bucket(bucket).key("priming").ifNoneMatch("*"), RequestBody.empty());
    }

    @Override
    public boolean claim(String key) {
        // the marker holds a token of this claim: if our own write went through but its answer was
        // lost, the SDK's retry meets 412, and the token tells that the marker is ours
        String token = UUID.randomUUID().toString();
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"), RequestBody.fromString(token));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return token.equals(
                        s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
            }
            log.warn("deduplication unavailable, notifying anyway", "key", key, "error", Errors.describe(e));
            return true;
        } catch (SdkException e) {
            log.warn("deduplication unavailable, notifying anyway", "key", key, "error", Errors.describe(e));
            return true;
        }
    }
}
