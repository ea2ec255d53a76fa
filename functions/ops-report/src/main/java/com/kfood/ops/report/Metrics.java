package com.kfood.ops.report;

import com.kfood.ops.shared.Futures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * Every metric the report reads, planned first and then fetched together: one GetMetricData call
 * carries up to 500 queries, so a report makes three calls (the charts' series over the window,
 * the window's totals, the previous window's), more only past 500 queries or when
 * CloudWatch pages. Totals are asked for with the window as the period, so percentiles are
 * CloudWatch's own over the whole window, not an average of daily ones.
 */
final class Metrics {
    /** A CloudWatch metric: namespace, name and its exact dimension set. */
    record Metric(String namespace, String name, Map<String, String> dimensions) {}

    /** A series' values by bucket start, ascending. */
    record Series(List<Instant> timestamps, List<Double> values) {
        static final Series EMPTY = new Series(List.of(), List.of());

        /** The value of each bucket from {@code from} (a bucket every {@code step}) up to {@code to}; null where none. */
        List<Double> buckets(Instant from, Instant to, Duration step) {
            Map<Instant, Double> byStart = new HashMap<>();
            for (int i = 0; i < timestamps.size(); i++) {
                byStart.put(timestamps.get(i), values.get(i));
            }
            List<Double> out = new ArrayList<>();
            for (Instant t = from; t.isBefore(to); t = t.plus(step)) {
                out.add(byStart.get(t));
            }
            return out;
        }
    }

    private record Planned(String id, Metric metric, String stat) {}

    static final int MAX_QUERIES_PER_CALL = 500;

    private final ReportReads reads;
    private final ReportPeriod period;
    private final List<Planned> series = new ArrayList<>();
    private final List<Planned> totals = new ArrayList<>();
    private final Map<String, Series> seriesResults = new HashMap<>();
    private final Map<String, Double> current = new HashMap<>();
    private final Map<String, Double> previous = new HashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    Metrics(ReportReads reads, ReportPeriod period) {
        this.reads = reads;
        this.period = period;
    }

    /** A chart series over the window at the report's step; returns the key to read it with. */
    String series(Metric metric, String stat) {
        String id = "s" + series.size();
        series.add(new Planned(id, metric, stat));
        return id;
    }

    /** One value per window (current and previous); returns the key to read them with. */
    String total(Metric metric, String stat) {
        String id = "t" + totals.size();
        totals.add(new Planned(id, metric, stat));
        return id;
    }

    /**
     * Fetches everything planned, the three windows at once on {@code pool}. A failure propagates:
     * the sections that planned metrics then say why.
     */
    void fetch(ExecutorService pool) {
        Future<List<MetricDataResult>> seriesPart = pool.submit(
                () -> series.isEmpty() ? List.of() : get(series, period.start(), period.end(), period.step()));
        Future<List<MetricDataResult>> currentPart = pool.submit(
                () -> totals.isEmpty() ? List.of() : get(totals, period.start(), period.end(), period.length()));
        Future<List<MetricDataResult>> previousPart = pool.submit(() -> totals.isEmpty()
                ? List.of()
                : get(totals, period.previousStart(), period.start(), period.previousLength()));
        for (MetricDataResult r : Futures.join(seriesPart, "the series")) {
            seriesResults.merge(
                    r.id(), new Series(new ArrayList<>(r.timestamps()), new ArrayList<>(r.values())), Metrics::concat);
        }
        collect(Futures.join(currentPart, "the window's totals"), current, totals);
        collect(Futures.join(previousPart, "the previous window's totals"), previous, totals);
    }

    Series seriesOf(String key) {
        return seriesResults.getOrDefault(key, Series.EMPTY);
    }

    OptionalDouble current(String key) {
        Double v = current.get(key);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    OptionalDouble previous(String key) {
        Double v = previous.get(key);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Queries planned so far (a source that planned some depends on the fetch). */
    int planned() {
        return series.size() + totals.size();
    }

    /** GetMetricData calls made: what the report's cost and speed depend on. */
    int calls() {
        return calls.get();
    }

    /**
     * One value per total. The window is one period, but CloudWatch may answer it with several
     * datapoints (a retention boundary inside it, or an emulator): counts are added, extremes kept;
     * an average or a percentile cannot be combined, and the first is kept.
     */
    private static void collect(List<MetricDataResult> results, Map<String, Double> into, List<Planned> planned) {
        Map<String, String> stats = new HashMap<>();
        planned.forEach(p -> stats.put(p.id(), p.stat()));
        for (MetricDataResult r : results) {
            String stat = stats.getOrDefault(r.id(), "");
            for (Double v : r.values()) {
                into.merge(r.id(), v, (a, b) -> switch (stat) {
                    case "Sum", "SampleCount" -> a + b;
                    case "Maximum" -> Math.max(a, b);
                    case "Minimum" -> Math.min(a, b);
                    default -> a;
                });
            }
        }
    }

    private List<MetricDataResult> get(List<Planned> planned, Instant from, Instant to, Duration step) {
        List<MetricDataResult> out = new ArrayList<>();
        for (int i = 0; i < planned.size(); i += MAX_QUERIES_PER_CALL) {
            List<MetricDataQuery> queries =
                    planned.subList(i, Math.min(planned.size(), i + MAX_QUERIES_PER_CALL)).stream()
                            .map(p -> query(p, step))
                            .toList();
            String token = null;
            do {
                String next = token;
                calls.incrementAndGet();
                GetMetricDataResponse page = reads.metricData(from, to, queries, next);
                out.addAll(page.metricDataResults());
                token = page.nextToken();
            } while (token != null && !token.isEmpty());
        }
        return out;
    }

    private static MetricDataQuery query(Planned p, Duration step) {
        return query(p.id(), p.metric(), p.stat(), (int) step.toSeconds());
    }

    /** One metric's statistic at {@code periodSeconds}, as GetMetricData asks for it. */
    static MetricDataQuery query(String id, Metric metric, String stat, int periodSeconds) {
        return MetricDataQuery.builder()
                .id(id)
                .returnData(true)
                .metricStat(s -> s.stat(stat)
                        .period(periodSeconds)
                        .metric(m -> m.namespace(metric.namespace())
                                .metricName(metric.name())
                                .dimensions(metric.dimensions().entrySet().stream()
                                        .map(d -> Dimension.builder()
                                                .name(d.getKey())
                                                .value(d.getValue())
                                                .build())
                                        .toList())))
                .build();
    }

    /** Pages of one series: their points joined in time order. */
    private static Series concat(Series a, Series b) {
        List<Instant> ts = new ArrayList<>(a.timestamps());
        List<Double> vs = new ArrayList<>(a.values());
        ts.addAll(b.timestamps());
        vs.addAll(b.values());
        return new Series(ts, vs);
    }
}
