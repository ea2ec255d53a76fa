package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

class MetricsTest {
    private static final ReportPeriod WEEK =
            ReportPeriod.of(ReportKind.WEEKLY, Instant.parse("2026-11-30T00:00:00Z"), ZoneId.of("Asia/Seoul"));

    // the three windows are fetched at once, as in the function
    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    private static Metrics.Metric metric(int i) {
        return new Metrics.Metric("KfoodOps", "Success", Map.of("Check", "c" + i));
    }

    @Test
    void aReportsMetricsTravelInThreeCallsWhateverTheirNumberUpTo500() {
        FakeCloudWatch cw = new FakeCloudWatch(q -> 1.0, 500);
        Metrics metrics = new Metrics(cw, WEEK);
        List<String> totals = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            totals.add(metrics.total(metric(i), "Sum"));
            metrics.series(metric(i), "Sum");
        }

        metrics.fetch(POOL);

        assertThat(metrics.calls()).isEqualTo(3);
        assertThat(cw.requests).extracting(r -> r.metricDataQueries().size()).containsExactly(200, 200, 200);
        // the series at the window's step; the totals one period each, the window's and the previous window's
        assertThat(cw.requests)
                .extracting(r -> r.startTime() + " "
                        + r.metricDataQueries().getFirst().metricStat().period())
                .containsExactlyInAnyOrder(
                        WEEK.start() + " 86400", WEEK.start() + " 604800", WEEK.previousStart() + " 604800");
        assertThat(metrics.current(totals.get(199))).hasValue(1.0);
        assertThat(metrics.previous(totals.get(0))).hasValue(1.0);
    }

    @Test
    void past500QueriesAndAcrossPagesNothingIsLost() {
        FakeCloudWatch cw = new FakeCloudWatch(q -> (double) Integer.parseInt(q.id().substring(1)), 300);
        Metrics metrics = new Metrics(cw, WEEK);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            keys.add(metrics.total(metric(i), "Maximum"));
        }

        metrics.fetch(POOL);

        // per window: 500 queries in two pages, then the 501st alone
        assertThat(metrics.calls()).isEqualTo(6);
        assertThat(cw.requests).allMatch(r -> r.metricDataQueries().size() <= Metrics.MAX_QUERIES_PER_CALL);
        for (int i = 0; i < 501; i++) {
            assertThat(metrics.current(keys.get(i))).hasValue(i);
        }
    }

    @Test
    void aMetricWithoutDatapointsHasNoValueRatherThanZero() {
        Metrics metrics = new Metrics(new FakeCloudWatch(q -> null, 500), WEEK);
        String key = metrics.total(metric(1), "Sum");

        metrics.fetch(POOL);

        assertThat(metrics.current(key)).isEmpty();
        assertThat(metrics.seriesOf("s0").buckets(WEEK.start(), WEEK.end(), WEEK.step()))
                .hasSize(7)
                .containsOnlyNulls();
    }

    @Test
    void aWindowAnsweredWithSeveralDatapointsIsSummedForCountsAndKeepsItsExtremes() {
        // CloudWatch may split the one-period window (a retention boundary inside it)
        StubReads cw = new StubReads() {
            @Override
            public GetMetricDataResponse metricData(
                    Instant from, Instant to, List<MetricDataQuery> queries, String nextToken) {
                GetMetricDataRequest request = StubReads.request(from, to, queries, nextToken);
                List<MetricDataResult> results = new ArrayList<>();
                for (MetricDataQuery q : request.metricDataQueries()) {
                    results.add(MetricDataResult.builder()
                            .id(q.id())
                            .timestamps(request.startTime(), request.startTime().plusSeconds(3600))
                            .values(3.0, 4.0)
                            .build());
                }
                return GetMetricDataResponse.builder()
                        .metricDataResults(results)
                        .build();
            }
        };
        Metrics metrics = new Metrics(cw, WEEK);
        String sum = metrics.total(metric(1), "Sum");
        String count = metrics.total(metric(1), "SampleCount");
        String max = metrics.total(metric(1), "Maximum");
        String min = metrics.total(metric(1), "Minimum");

        metrics.fetch(POOL);

        assertThat(metrics.current(sum)).hasValue(7.0);
        assertThat(metrics.current(count)).hasValue(7.0);
        assertThat(metrics.current(max)).hasValue(4.0);
        assertThat(metrics.current(min)).hasValue(3.0);
        assertThat(metrics.previous(sum)).hasValue(7.0);
    }
}
