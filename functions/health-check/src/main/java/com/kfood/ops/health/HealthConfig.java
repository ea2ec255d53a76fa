package com.kfood.ops.health;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.DbSsl;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Text;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import redis.clients.jedis.HostAndPort;

/**
 * HealthCheckFunction's configuration, validated at init (the names are a contract with the
 * template). A check whose settings are absent is not configured, which the run reports as such.
 * Redis TLS is on unless turned off: ElastiCache's in-transit encryption, as the template's default.
 */
public record HealthConfig(
        int timeoutMs,
        int degradedMs,
        Optional<String> dbSecretArn,
        String dbSslMode,
        Optional<HostAndPort> redis,
        boolean redisTls,
        Optional<String> redisSecretArn,
        List<URI> urls,
        String expectStatus,
        Optional<String> expectBody,
        Duration secretTtl,
        boolean dryRun) {

    private static final Pattern URL = Pattern.compile("https?://[^\\s,]+");
    private static final Pattern STATUS = Pattern.compile("[1-5](\\d\\d|xx)");

    public static HealthConfig from(Env env) {
        String expectStatus = env.string("HTTP_EXPECT_STATUS", "2xx");
        if (!STATUS.matcher(expectStatus).matches()) {
            throw new ConfigException("HTTP_EXPECT_STATUS must be a status code or a class like 2xx, got '"
                    + Text.printable(expectStatus, 20) + "'");
        }
        return new HealthConfig(
                env.integer("CHECK_TIMEOUT_MS", 3000, 100, 30_000),
                env.integer("DEGRADED_MS", 1000, 1, 30_000),
                env.arn("DB_SECRET_ARN", "secretsmanager"),
                DbSsl.mode(env),
                env.optional("REDIS_ENDPOINT").map(HealthConfig::endpoint),
                env.bool("REDIS_TLS", true),
                env.arn("REDIS_AUTH_SECRET_ARN", "secretsmanager"),
                env.list("HEALTH_CHECK_URLS", URL, "URL").stream()
                        .map(URI::create)
                        .toList(),
                expectStatus,
                env.optional("HTTP_EXPECT_BODY"),
                Duration.ofSeconds(env.integer("SECRET_TTL_SECONDS", 300, 0, 86_400)),
                env.bool("DRY_RUN", false));
    }

    /** Whether a check reads a secret (then a Secrets Manager client and the cache are built). */
    public boolean readsSecrets() {
        return dbSecretArn.isPresent() || redisSecretArn.isPresent();
    }

    private static HostAndPort endpoint(String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon <= 0) {
                return new HostAndPort(value, 6379);
            }
            return new HostAndPort(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new ConfigException("REDIS_ENDPOINT must be host:port, got '" + Text.printable(value, 80) + "'");
        }
    }
}
