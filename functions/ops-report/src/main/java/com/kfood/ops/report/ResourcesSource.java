package com.kfood.ops.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resource usage: ECS CPU and memory per service (average and maximum) with running tasks against
 * the autoscaling maximum; RDS CPU, freeable memory and connections; ElastiCache CPU, memory and
 * evictions. Averages and maxima over the window are CloudWatch's, from one query each.
 */
final class ResourcesSource extends Source {
    private record Row(String label, String unit, double scale, Map<String, String> keys, double watch, double act) {}

    private final ReportConfig config;
    private final ReportPeriod period;
    private final Fleet fleet;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> cpuSeries = new LinkedHashMap<>();

    ResourcesSource(ReportConfig config, ReportPeriod period, Fleet fleet) {
        super("resources", "Resources", EnumSet.of(ReportKind.DAILY, ReportKind.WEEKLY));
        this.config = config;
        this.period = period;
        this.fleet = fleet;
    }

    @Override
    void plan(Metrics metrics) {
        for (String service : config.services()) {
            Map<String, String> dims = Map.of("ClusterName", config.ecsCluster(), "ServiceName", service);
            Metrics.Metric cpu = new Metrics.Metric("AWS/ECS", "CPUUtilization", dims);
            row(metrics, "ECS " + service + " CPU", "%", 1, cpu, 70, 90);
            row(
                    metrics,
                    "ECS " + service + " memory",
                    "%",
                    1,
                    new Metrics.Metric("AWS/ECS", "MemoryUtilization", dims),
                    75,
                    90);
            cpuSeries.put(service, metrics.series(cpu, "Average"));
        }
        for (String db : config.backup().dbInstanceIds()) {
            Map<String, String> dims = Map.of("DBInstanceIdentifier", db);
            row(metrics, "RDS " + db + " CPU", "%", 1, new Metrics.Metric("AWS/RDS", "CPUUtilization", dims), 70, 90);
            row(
                    metrics,
                    "RDS " + db + " connections",
                    "",
                    1,
                    new Metrics.Metric("AWS/RDS", "DatabaseConnections", dims),
                    Double.NaN,
                    Double.NaN);
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("Minimum", metrics.total(new Metrics.Metric("AWS/RDS", "FreeableMemory", dims), "Minimum"));
            rows.add(new Row(
                    "RDS " + db + " freeable memory (lowest)", "GiB", 1.0 / (1L << 30), keys, Double.NaN, Double.NaN));
        }
        for (String cache : config.cacheClusterIds()) {
            Map<String, String> dims = Map.of("CacheClusterId", cache);
            row(
                    metrics,
                    "ElastiCache " + cache + " CPU",
                    "%",
                    1,
                    new Metrics.Metric("AWS/ElastiCache", "CPUUtilization", dims),
                    70,
                    90);
            row(
                    metrics,
                    "ElastiCache " + cache + " memory",
                    "%",
                    1,
                    new Metrics.Metric("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", dims),
                    75,
                    90);
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("Sum", metrics.total(new Metrics.Metric("AWS/ElastiCache", "Evictions", dims), "Sum"));
            rows.add(new Row("ElastiCache " + cache + " evictions", "", 1, keys, 1, Double.NaN));
        }
    }

    private void row(
            Metrics metrics, String label, String unit, double scale, Metrics.Metric m, double watch, double act) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("Average", metrics.total(m, "Average"));
        keys.put("Maximum", metrics.total(m, "Maximum"));
        rows.add(new Row(label, unit, scale, keys, watch, act));
    }

    @Override
    Section build(Metrics metrics) {
        Section.Builder section = new Section.Builder(key(), title());
        try {
            for (Fleet.Tasks t : fleet.tasks()) {
                section.item(t.item());
                if (t.verdict() == Verdict.ACT) {
                    section.action("ECS " + t.service() + " runs at its autoscaling maximum (" + t.running()
                            + " tasks): raise the maximum or find what drives the load");
                }
            }
        } catch (RuntimeException e) {
            section.item(Item.unavailable("ECS tasks", Problems.describe(e)));
        }
        for (Row row : rows) {
            section.item(item(row, metrics));
        }
        if (config.cacheClusterIds().isEmpty()) {
            section.item(
                    Item.unavailable("ElastiCache", "CACHE_CLUSTER_IDS is not set (stack parameter CacheClusterIds)"));
        }
        List<Chart.Line> lines = new ArrayList<>();
        cpuSeries.forEach((service, key) -> lines.add(new Chart.Line(
                service, rounded(metrics.seriesOf(key).buckets(period.start(), period.end(), period.step())))));
        section.chart(new Chart("cpu", "ECS CPU per service (average)", "%", period.bucketLabels(), lines));
        return section.build();
    }

    private static Item item(Row row, Metrics metrics) {
        Map<String, Double> now = new LinkedHashMap<>();
        row.keys().forEach((stat, key) -> metrics.current(key).ifPresent(v -> now.put(stat, v * row.scale())));
        if (now.isEmpty()) {
            return Item.unavailable(row.label(), "no datapoints in the window");
        }
        String unit = row.unit().isEmpty() ? "" : row.unit().equals("%") ? " %" : " " + row.unit();
        StringBuilder value = new StringBuilder();
        now.forEach((stat, v) -> value.append(value.isEmpty() ? "" : ", ")
                .append(stat.equals("Average") ? "avg " : stat.equals("Maximum") ? "max " : "")
                .append(String.format(Locale.ROOT, row.unit().equals("GiB") ? "%.2f" : "%.1f", v))
                .append(unit));
        double worst =
                now.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        Verdict v = worst >= row.act() ? Verdict.ACT : worst >= row.watch() ? Verdict.WATCH : Verdict.OK;
        Item item = new Item(row.label(), value.toString(), "", v, "", null);
        for (var e : now.entrySet()) {
            item = item.number(e.getKey().toLowerCase(Locale.ROOT) + unitName(row.unit()), Format.round(e.getValue()));
        }
        return item;
    }

    private static String unitName(String unit) {
        return switch (unit) {
            case "%" -> "Percent";
            case "GiB" -> "GiB";
            default -> "";
        };
    }

    private static List<Double> rounded(List<Double> values) {
        return values.stream().map(v -> v == null ? null : Format.round(v)).toList();
    }
}
