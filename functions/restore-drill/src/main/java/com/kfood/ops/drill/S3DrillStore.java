package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link DrillStore} in the state bucket; {@link #create} is S3's conditional write (If-None-Match). */
final class S3DrillStore implements DrillStore {
    private static final String CLAIM = "kfood-ops-claim";

    private final S3Client s3;
    private final String bucket;

    S3DrillStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Runnable primingCall() {
        return () -> s3.putObject(b -> b.bucket(bucket).key("priming").ifNoneMatch("*"), RequestBody.empty());
    }

    @Override
    public boolean create(String key, String json) {
        // a token in the object's metadata: if our write went through but its answer was lost, the
        // SDK's retry meets 412, and the token tells that the document is ours
        String token = UUID.randomUUID().toString();
        try {
            s3.putObject(
                    b -> b.bucket(bucket)
                            .key(key)
                            .ifNoneMatch("*")
                            .contentType("application/json")
                            .metadata(Map.of(CLAIM, token)),
                    RequestBody.fromString(json, StandardCharsets.UTF_8));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return token.equals(
                        s3.headObject(b -> b.bucket(bucket).key(key)).metadata().get(CLAIM));
            }
            throw e;
        }
    }

    @Override
    public void put(String key, String json) {
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(json, StandardCharsets.UTF_8));
    }

    @Override
    public Optional<JsonNode> read(String key) {
        try {
            JsonNode stored = Json.parseEmbedded(
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
            return Optional.ofNullable(stored);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    @Override
    public void remove(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
}
