package com.kfood.ops.health;

import com.kfood.ops.shared.SecretCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks the configuration asks for, and a line for each kind it leaves out (said in the
 * result, never counted as healthy): the database, Redis, and each URL in turn.
 */
record HealthChecks(List<HealthCheck> checks, List<CheckResult> notConfigured) {
    HealthChecks {
        checks = List.copyOf(checks);
        notConfigured = List.copyOf(notConfigured);
    }

    static HealthChecks of(HealthConfig config, Optional<SecretCache> secrets) {
        List<HealthCheck> checks = new ArrayList<>();
        List<CheckResult> notConfigured = new ArrayList<>();
        if (config.dbSecretArn().isPresent()) {
            checks.add(new DatabaseCheck(
                    config.dbSecretArn().get(), secrets.orElseThrow(), config.timeoutMs(), config.dbSslMode()));
        } else {
            notConfigured.add(CheckResult.notConfigured("database", "DB_SECRET_ARN"));
        }
        if (config.redis().isPresent()) {
            checks.add(new RedisCheck(
                    config.redis().get(),
                    config.redisTls(),
                    config.redisSecretArn().orElse(null),
                    secrets.orElse(null),
                    config.timeoutMs()));
        } else {
            notConfigured.add(CheckResult.notConfigured("redis", "REDIS_ENDPOINT"));
        }
        for (int i = 0; i < config.urls().size(); i++) {
            checks.add(new HttpCheck(
                    "http-" + (i + 1),
                    config.urls().get(i),
                    config.expectStatus(),
                    config.expectBody().orElse(null),
                    Duration.ofMillis(config.timeoutMs())));
        }
        if (config.urls().isEmpty()) {
            notConfigured.add(CheckResult.notConfigured("http", "HEALTH_CHECK_URLS"));
        }
        return new HealthChecks(checks, notConfigured);
    }
}
