package com.kfood.ops.shared;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CloudWatch metrics in Embedded Metric Format: one JSON document per dimension set, written to
 * stdout on {@link #flush()}, where Lambda hands it to CloudWatch Logs, which extracts the metrics
 * (no PutMetricData call, no latency).
 *
 * <p>Written with Jackson's tree model rather than Powertools: Powertools' EMF library serialises
 * annotated beans, and its first flush cost 35 ms of a 390 ms cold first response even with the AOT
 * cache (bean introspection and annotation proxies made at run time) (docs/cold-start.md).
 */
public final class EmfMetrics implements OpsMetrics {
    /** CloudWatch's limit per EMF document. */
    private static final int MAX_METRICS_PER_DOCUMENT = 100;

    private record Datum(String name, double value, Unit unit) {}

    private final String namespace;
    private final String service;
    private final Clock clock;
    private final OpsLog log;
    private final Supplier<PrintStream> out;
    private final Map<Map<String, String>, List<Datum>> pending = new LinkedHashMap<>();

    /** Writing to Lambda's stdout, as it is at each flush (the local runtime redirects it). */
    public EmfMetrics(String namespace, String service, Clock clock, OpsLog log) {
        this(namespace, service, clock, log, () -> System.out);
    }

    public EmfMetrics(String namespace, String service, Clock clock, OpsLog log, Supplier<PrintStream> out) {
        this.namespace = namespace;
        this.service = service;
        this.clock = clock;
        this.log = log;
        this.out = out;
    }

    @Override
    public synchronized void put(String name, double value, Unit unit, Map<String, String> dimensions) {
        pending.computeIfAbsent(new LinkedHashMap<>(dimensions), k -> new ArrayList<>())
                .add(new Datum(name, value, unit));
    }

    /** Never throws: a metric CloudWatch would refuse is logged and dropped, the invocation's work stands. */
    @Override
    public synchronized void flush() {
        PrintStream out = this.out.get();
        for (var entry : pending.entrySet()) {
            try {
                List<Datum> data = entry.getValue();
                for (int from = 0; from < data.size(); from += MAX_METRICS_PER_DOCUMENT) {
                    out.println(Json.write(document(
                            entry.getKey(),
                            data.subList(from, Math.min(data.size(), from + MAX_METRICS_PER_DOCUMENT)))));
                }
            } catch (IllegalArgumentException e) {
                log.error("metrics dropped", "dimensions", entry.getKey(), "error", e.getMessage());
            }
        }
        out.flush();
        pending.clear();
    }

    /** One EMF document: the metrics' directive under _aws, the values and dimensions as members. */
    private ObjectNode document(Map<String, String> dimensions, List<Datum> data) {
        ObjectNode doc = Json.object();
        ObjectNode aws = doc.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        // one dimension set [Service, ...]: the function plus what the caller adds
        ArrayNode set = directive.putArray("Dimensions").addArray().add("Service");
        doc.put("Service", service);
        dimensions.forEach((name, value) -> {
            requireDimension(name, value);
            set.add(name);
            doc.put(name, value);
        });
        ArrayNode metrics = directive.putArray("Metrics");
        for (Datum d : data) {
            requireMetric(d);
            metrics.addObject().put("Name", d.name()).put("Unit", unit(d.unit()));
            doc.put(d.name(), d.value());
        }
        return doc;
    }

    // CloudWatch's rules (PutMetricData): what it would refuse is refused here, with the reason
    private static void requireDimension(String name, String value) {
        if (name.isBlank()
                || name.length() > 255
                || !printableAscii(name)
                || name.startsWith(":")
                || name.equals("Service")) {
            throw new IllegalArgumentException("invalid dimension name '" + Text.printable(name, 80) + "'");
        }
        if (value == null || value.isBlank() || value.length() > 1024 || !printableAscii(value)) {
            throw new IllegalArgumentException("invalid value of dimension " + name
                    + ": must be 1-1024 printable ASCII characters, not only whitespace");
        }
    }

    private static void requireMetric(Datum d) {
        if (d.name().isBlank() || d.name().length() > 255 || !printableAscii(d.name())) {
            throw new IllegalArgumentException("invalid metric name '" + Text.printable(d.name(), 80) + "'");
        }
        if (!Double.isFinite(d.value())) {
            throw new IllegalArgumentException("metric " + d.name() + " is not a finite number");
        }
    }

    private static boolean printableAscii(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private static String unit(Unit unit) {
        return switch (unit) {
            case COUNT -> "Count";
            case MILLISECONDS -> "Milliseconds";
            case BYTES -> "Bytes";
            case NONE -> "None";
        };
    }
}
