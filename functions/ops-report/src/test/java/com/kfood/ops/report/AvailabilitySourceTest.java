package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * The SLA's overall line: a minute down in any check counts once. October 2026 (44,640 minutes),
 * every check measured every minute; the database and HTTP checks down in the same 30 minutes of
 * October 10, Redis up throughout: 30 minutes down, 99.933 %, compliant with 99.9 %.
 */
class AvailabilitySourceTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ReportPeriod OCTOBER =
            ReportPeriod.of(ReportKind.MONTHLY, Instant.parse("2026-11-01T00:00:00Z"), SEOUL);
    private static final Instant OCTOBER_10 = Instant.parse("2026-10-09T15:00:00Z"); // Seoul's midnight

    private final ExecutorService pool = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /**
     * CloudWatch with per-check down minutes on one day of the window: each query answered per
     * period, Sum (good minutes) and SampleCount (measured minutes), as GetMetricData would.
     */
    private static ReportReads cloudWatch(Map<String, Integer> downOnOctober10, boolean withUnion) {
        return new StubReads() {
            @Override
            public List<Metric> metrics(String namespace) {
                List<Metric> metrics = new ArrayList<>();
                for (String check : List.of("database", "http", "redis")) {
                    metrics.add(Metric.builder()
                            .namespace("KfoodOps")
                            .metricName("Success")
                            .dimensions(dim("Service", "HealthCheckFunction"), dim("Check", check))
                            .build());
                }
                if (withUnion) {
                    metrics.add(Metric.builder()
                            .namespace("KfoodOps")
                            .metricName("AllChecksUp")
                            .dimensions(dim("Service", "HealthCheckFunction"))
                            .build());
                }
                return metrics;
            }

            @Override
            public GetMetricDataResponse metricData(
                    Instant from, Instant to, List<MetricDataQuery> queries, String nextToken) {
                GetMetricDataRequest request = StubReads.request(from, to, queries, nextToken);
                List<MetricDataResult> results = new ArrayList<>();
                for (MetricDataQuery q : request.metricDataQueries()) {
                    var metric = q.metricStat().metric();
                    String check = metric.metricName().equals("AllChecksUp")
                            ? "all"
                            : metric.dimensions().stream()
                                    .filter(d -> d.name().equals("Check"))
                                    .findFirst()
                                    .orElseThrow()
                                    .value();
                    int down = check.equals("all")
                            ? downOnOctober10.values().stream()
                                    .mapToInt(Integer::intValue)
                                    .max()
                                    .orElse(0)
                            : downOnOctober10.getOrDefault(check, 0);
                    List<Instant> at = new ArrayList<>();
                    List<Double> values = new ArrayList<>();
                    long period = q.metricStat().period();
                    for (Instant t = request.startTime(); t.isBefore(request.endTime()); t = t.plusSeconds(period)) {
                        Instant end = t.plusSeconds(period);
                        double minutes =
                                Math.min(period, request.endTime().getEpochSecond() - t.getEpochSecond()) / 60.0;
                        boolean hasOutage = !OCTOBER_10.isBefore(t) && OCTOBER_10.isBefore(end);
                        boolean sum = q.metricStat().stat().equals("Sum");
                        at.add(t);
                        values.add(sum && hasOutage ? minutes - down : minutes);
                    }
                    results.add(MetricDataResult.builder()
                            .id(q.id())
                            .timestamps(at)
                            .values(values)
                            .build());
                }
                return GetMetricDataResponse.builder()
                        .metricDataResults(results)
                        .build();
            }
        };
    }

    private static Dimension dim(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    private Section build(ReportReads cw, double target) {
        AvailabilitySource source = new AvailabilitySource(new MetricCatalog(cw, "KfoodOps"), OCTOBER, target);
        Metrics metrics = new Metrics(cw, OCTOBER);
        source.plan(metrics);
        metrics.fetch(pool);
        return source.build(metrics);
    }

    private static Item overall(Section s) {
        return s.items().stream()
                .filter(i -> i.label().startsWith("overall"))
                .findFirst()
                .orElseThrow();
    }

    private static Item sla(Section s) {
        return s.items().stream()
                .filter(i -> i.label().startsWith("SLA"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void twoChecksDownInTheSameThirtyMinutesAreThirtyMinutesDownNotSixty() {
        Map<String, Integer> down = Map.of("database", 30, "http", 30);
        for (boolean withUnion : new boolean[] {true, false}) {
            Section s = build(cloudWatch(down, withUnion), 99.9);
            assertThat(OCTOBER.minutes()).isEqualTo(44_640);
            assertThat(overall(s).amount("downMinutes")).isEqualTo(30.0);
            assertThat(overall(s).value()).startsWith("99.933 %");
            assertThat(sla(s).note()).as("with the union metric: %s", withUnion).isEqualTo("compliant");
            assertThat(sla(s).verdict()).isNotEqualTo(Verdict.ACT);
        }
    }

    @Test
    void withoutTheUnionMetricTheOverallLineSaysItIsALowerBound() {
        Section s = build(cloudWatch(Map.of("database", 30), false), 99.9);
        assertThat(overall(s).label()).contains("at least");
        Section exact = build(cloudWatch(Map.of("database", 30), true), 99.9);
        assertThat(overall(exact).label()).contains("counts once");
    }

    @Test
    void roundingNeverPrintsAValueOnTheOtherSideOfTheTarget() {
        // 45 minutes of 44,640: 99.89919 %, under 99.9 %: must not read "99.900 %" beside "not compliant"
        Section s = build(cloudWatch(Map.of("database", 45), true), 99.9);
        assertThat(sla(s).note()).isEqualTo("not compliant");
        assertThat(overall(s).value()).startsWith("99.899 %");
        assertThat(Format.availability(99.89998, 3, 99.9)).isEqualTo("99.899 %");
        assertThat(Format.availability(99.93279, 3, 99.9)).isEqualTo("99.933 %");
        assertThat(Format.availability(99.99996, 3, 99.99995)).isEqualTo("100.000 %");
        assertThat(Format.availability(99.99994, 3, 99.99995)).isEqualTo("99.999 %");
        assertThat(Format.target(99.999)).isEqualTo("99.999 %");
        assertThat(Format.target(99.9)).isEqualTo("99.90 %");
        assertThat(build(cloudWatch(Map.of(), true), 99.999).items())
                .anyMatch(i -> i.label().equals("SLA 99.999 %: error budget"));
    }

    @Test
    void theUnionMetricPublishedForOnlyPartOfTheWindowIsNotTakenForTheWhole() {
        ReportReads partial = new StubReads() {
            private final ReportReads all = cloudWatch(Map.of("database", 30, "http", 30), true);
            private final Map<String, Boolean> unionIds = new HashMap<>();

            @Override
            public List<Metric> metrics(String namespace) {
                return all.metrics(namespace);
            }

            @Override
            public GetMetricDataResponse metricData(
                    Instant from, Instant to, List<MetricDataQuery> queries, String nextToken) {
                GetMetricDataRequest request = StubReads.request(from, to, queries, nextToken);
                request.metricDataQueries()
                        .forEach(q -> unionIds.put(
                                q.id(), q.metricStat().metric().metricName().equals("AllChecksUp")));
                List<MetricDataResult> results = new ArrayList<>();
                for (MetricDataResult r :
                        all.metricData(from, to, queries, nextToken).metricDataResults()) {
                    // the health check published the union for its last minute only
                    results.add(
                            unionIds.get(r.id())
                                    ? r.toBuilder()
                                            .timestamps(r.timestamps().getLast())
                                            .values(1.0)
                                            .build()
                                    : r);
                }
                return GetMetricDataResponse.builder()
                        .metricDataResults(results)
                        .build();
            }
        };
        Section s = build(partial, 99.9);
        assertThat(overall(s).label()).contains("at least");
        assertThat(overall(s).amount("downMinutes")).isEqualTo(30.0);
    }
}
