package com.kfood.ops.shared;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * CloudWatch metrics in Embedded Metric Format through Powertools' functional API (no AspectJ).
 * Metrics are buffered per dimension set and written to stdout on {@link #flush()}, where Lambda
 * hands them to CloudWatch Logs, which extracts the metrics: no PutMetricData call, no latency.
 */
public final class EmfMetrics implements OpsMetrics {
    private record Datum(String name, double value, Unit unit) {
    }

    private final Metrics metrics;
    private final String service;
    private final OpsLog log;
    private final Map<Map<String, String>, List<Datum>> pending = new LinkedHashMap<>();

    public EmfMetrics(String namespace, String service, OpsLog log) {
        this.log = log;
        // always Lambda's sink (stdout): no environment probing on the cold path, and the local
        // runtime's stdout is stderr, so no agent socket or EC2 metadata call is ever tried
        EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Lambda);
        this.service = service;
        this.metrics = MetricsBuilder.builder().withNamespace(namespace).withService(service).build();
        metrics.setRaiseOnEmptyMetrics(false);
    }

    @Override
    public synchronized void put(String name, double value, Unit unit, Map<String, String> dimensions) {
        pending.computeIfAbsent(Map.copyOf(dimensions), k -> new ArrayList<>()).add(new Datum(name, value, unit));
    }

    /** Never throws: a metric that EMF refuses is logged and dropped, the invocation's work stands. */
    @Override
    public synchronized void flush() {
        for (var entry : pending.entrySet()) {
            try {
                flush(entry.getKey(), entry.getValue());
            } catch (RuntimeException e) {
                log.error("metrics dropped", "dimensions", entry.getKey(), "error", Errors.describe(e));
            }
        }
        pending.clear();
    }

    private void flush(Map<String, String> dimensions, List<Datum> data) {
        metrics.flushMetrics(m -> {
            if (!dimensions.isEmpty()) {
                // one dimension set [Service, ...], not the default set plus a second one
                DimensionSet dims = DimensionSet.of("Service", service);
                dimensions.forEach(dims::addDimension);
                m.setDefaultDimensions(dims);
            }
            data.forEach(d -> m.addMetric(d.name(), d.value(), unit(d.unit())));
        });
    }

    private static MetricUnit unit(Unit unit) {
        return switch (unit) {
            case COUNT -> MetricUnit.COUNT;
            case MILLISECONDS -> MetricUnit.MILLISECONDS;
            case BYTES -> MetricUnit.BYTES;
            case NONE -> MetricUnit.NONE;
        };
    }
}
