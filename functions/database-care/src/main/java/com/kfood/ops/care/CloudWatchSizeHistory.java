package com.kfood.ops.care;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/** {@link DatabaseCare.SizeHistory} on CloudWatch: the DatabaseSizeBytes metric this function wrote. */
final class CloudWatchSizeHistory implements DatabaseCare.SizeHistory {
    private final CloudWatchClient cloudWatch;
    private final String namespace;

    CloudWatchSizeHistory(CloudWatchClient cloudWatch, String namespace) {
        this.cloudWatch = cloudWatch;
        this.namespace = namespace;
    }

    /** The size recorded around {@code when}, if any; a failed read is none (growth is a nice-to-have). */
    @Override
    public OptionalDouble bytesAt(Instant when) {
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
        } catch (RuntimeException e) { // the run goes on without yesterday's size
            return OptionalDouble.empty();
        }
    }
}
