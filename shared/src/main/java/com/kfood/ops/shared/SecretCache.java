package com.kfood.ops.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets Manager values cached across invocations for a TTL (a check every minute must not cost a
 * GetSecretValue every minute), dropped on demand when a credential stops working (rotation).
 */
public final class SecretCache {
    private record Entry(JsonNode value, Instant fetched) {}

    private final Function<String, String> fetch;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** A cache over Secrets Manager's GetSecretValue (the secret's string). */
    public static SecretCache fromSecretsManager(SecretsManagerClient client, Clock clock, Duration ttl) {
        return new SecretCache(
                arn -> client.getSecretValue(b -> b.secretId(arn)).secretString(), clock, ttl);
    }

    public SecretCache(Function<String, String> fetch, Clock clock, Duration ttl) {
        this.fetch = fetch;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** The secret as JSON; a plain-text secret becomes {@code {"password": "<text>"}}. */
    public JsonNode get(String arn) {
        Entry e = entries.get(arn);
        if (e == null || e.fetched().plus(ttl).isBefore(clock.instant())) {
            String text = fetch.apply(arn);
            JsonNode json = Json.parseEmbedded(text);
            e = new Entry(json != null ? json : Json.object().put("password", text), clock.instant());
            entries.put(arn, e);
        }
        return e.value();
    }

    public void invalidate(String arn) {
        entries.remove(arn);
    }

    /** Forgets everything: after a SnapStart restore the cached values may be older than the TTL says. */
    public void clear() {
        entries.clear();
    }

    /** The fetch path, for SnapStart priming (the request is stopped before it is sent). */
    public Runnable primingCall() {
        return () -> fetch.apply("arn:aws:secretsmanager:ap-northeast-2:000000000000:secret:priming");
    }
}
