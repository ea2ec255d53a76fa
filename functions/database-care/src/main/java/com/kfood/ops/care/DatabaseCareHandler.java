package com.kfood.ops.care;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.SecretCache;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** DatabaseCareFunction's Lambda class: the daily schedule (or a manual invoke) to {@link DatabaseCare}. */
public final class DatabaseCareHandler extends OpsHandler {
    public DatabaseCareHandler() {
        this(Env.system());
    }

    public DatabaseCareHandler(Env env) {
        super("DatabaseCareFunction", env, DatabaseCareHandler::wire);
    }

    static DatabaseCare wire(Ops ops) {
        CareConfig config = CareConfig.from(ops.env());
        return new DatabaseCare(
                config,
                SecretCache.fromSecretsManager(
                        ops.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER"),
                        ops.clock(),
                        config.secretTtl()),
                new CloudWatchSizeHistory(
                        ops.aws().build(CloudWatchClient.builder(), "CLOUDWATCH"),
                        ops.env().string("METRICS_NAMESPACE", Ops.DEFAULT_NAMESPACE)),
                ops.notifier(),
                ops.metrics(),
                ops.log(),
                ops.clock());
    }
}
