package com.kfood.ops.health;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.SecretCache;
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
        Optional<SecretCache> secrets = config.readsSecrets()
                ? Optional.of(SecretCache.fromSecretsManager(
                        ops.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER"),
                        ops.clock(),
                        config.secretTtl()))
                : Optional.empty();
        HealthChecks checks = HealthChecks.of(config, secrets);
        return new HealthRun(
                checks.checks(),
                checks.notConfigured(),
                new HealthRun.Limits(config.timeoutMs(), config.degradedMs(), config.dryRun()),
                secrets,
                ops.metrics(),
                ops.log(),
                ops.clock());
    }
}
