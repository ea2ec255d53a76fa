package com.kfood.ops.report;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

/**
 * The stack's own metrics (its namespace) with their dimension sets, listed once per report: the
 * health checks' names and the actions and services the deployment and remediation counts carry are
 * not known in advance. ListMetrics returns what had data in the last two weeks.
 */
final class MetricCatalog {
    private final ReportReads reads;
    private final String namespace;
    private List<Metrics.Metric> listed;

    MetricCatalog(ReportReads reads, String namespace) {
        this.reads = reads;
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /** The metrics named {@code name} that a function ({@code Service} dimension) published. */
    synchronized List<Metrics.Metric> named(String name, String service) {
        if (listed == null) {
            Set<Metrics.Metric> all = new LinkedHashSet<>(); // the emulator repeats a metric for each datapoint
            for (Metric m : reads.metrics(namespace)) {
                Map<String, String> dims = new LinkedHashMap<>();
                for (Dimension d : m.dimensions()) {
                    dims.put(d.name(), d.value());
                }
                all.add(new Metrics.Metric(namespace, m.metricName(), dims));
            }
            listed = List.copyOf(all);
        }
        return listed.stream()
                .filter(m ->
                        m.name().equals(name) && service.equals(m.dimensions().get("Service")))
                .sorted((a, b) ->
                        a.dimensions().toString().compareTo(b.dimensions().toString()))
                .toList();
    }
}
