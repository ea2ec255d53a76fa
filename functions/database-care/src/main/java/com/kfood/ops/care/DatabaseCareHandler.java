package com.kfood.ops.care;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.SecretCache;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
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
        SecretsManagerClient secretsManager = ops.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER");
        SecretCache secrets = new SecretCache(
                arn -> secretsManager.getSecretValue(b -> b.secretId(arn)).secretString(),
                ops.clock(),
                config.secretTtl());
        CloudWatchClient cloudWatch = ops.aws().build(CloudWatchClient.builder(), "CLOUDWATCH");
        String namespace = ops.env().string("METRICS_NAMESPACE", Ops.DEFAULT_NAMESPACE);
        return new DatabaseCare(
                config,
                secrets,
                when -> sizeAt(cloudWatch, namespace, when),
                ops.notifier(),
                ops.metrics(),
                ops.log(),
                ops.clock());
    }

    /** The size this function recorded around {@code when} (its DatabaseSizeBytes metric), if any. */
    private static OptionalDouble sizeAt(CloudWatchClient cloudWatch, String namespace, Instant when) {
        try {
            return cloudWatch
                    .getMetricData(b -> b.startTime(when.minus(Duration.ofHours(3)))
                            .endTime(when.plus(Duration.ofHours(3)))
                            .metricDataQueries(q -> q.id("size")
                                    .returnData(true)
                                    .metricStat(s -> s.period(21_600)
                                            .stat("Maximum")
                                            .metric(m -> m.namespace(namespace)
                                                    .metricName("DatabaseSizeBytes")
                                                    .dimensions(d ->
                                                            d.name("Service").value("DatabaseCareFunction"))))))
                    .metricDataResults()
                    .stream()
                    .map(MetricDataResult::values)
                    .filter(v -> !v.isEmpty())
                    .mapToDouble(v -> v.getFirst())
                    .findFirst();
        } catch (RuntimeException e) { // growth is a nice-to-have: the run goes on without it
            return OptionalDouble.empty();
        }
    }
}
