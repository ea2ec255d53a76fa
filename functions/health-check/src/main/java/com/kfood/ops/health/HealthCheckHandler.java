package com.kfood.ops.health;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.SecretCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * HealthCheckFunction: every minute, the database, cache and HTTP checks in parallel, started by the
 * schedule's event or a manual {@code {}}. A check without configuration is reported as not
 * configured, not as failed.
 */
public final class HealthCheckHandler extends OpsHandler {
    public HealthCheckHandler() {
        this(Env.system());
    }

    public HealthCheckHandler(Env env) {
        super("HealthCheckFunction", env, HealthCheckHandler::wire);
    }

    static HealthRun wire(Ops ops) {
        HealthConfig config = HealthConfig.from(ops.env());
        Optional<SecretCache> secrets = Optional.empty();
        if (config.readsSecrets()) {
            SecretsManagerClient secretsManager = ops.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER");
            secrets = Optional.of(new SecretCache(
                    arn -> secretsManager.getSecretValue(b -> b.secretId(arn)).secretString(),
                    ops.clock(),
                    config.secretTtl()));
        }
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
        return new HealthRun(
                checks,
                notConfigured,
                new HealthRun.Limits(config.timeoutMs(), config.degradedMs(), config.dryRun()),
                secrets,
                ops.metrics(),
                ops.log(),
                ops.clock());
    }
}
