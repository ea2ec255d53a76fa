package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * Storage growth over an autoscaled volume: 1 GiB more used every day of November, while storage
 * autoscaling grew the volume from 100 to 150 GiB on the 16th. The slope is each day's used
 * storage against that day's volume, not today's size for every day.
 */
class CapacitySourceTest {
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final ReportPeriod NOVEMBER =
            ReportPeriod.of(ReportKind.MONTHLY, Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Instant GREW = Instant.parse("2026-11-16T00:00:00Z");

    private static int sizeOn(Instant day) {
        return day.isBefore(GREW) ? 100 : 150;
    }

    private static double usedOn(Instant day) {
        return 40 + Duration.between(NOVEMBER.start(), day).toDays();
    }

    private final ReportReads rds = new StubReads() {
        @Override
        public DBInstance database(String db) {
            return DBInstance.builder()
                    .dbInstanceIdentifier("kfood-db")
                    .allocatedStorage(150)
                    .maxAllocatedStorage(1000)
                    .build();
        }

        @Override
        public List<DBSnapshot> snapshots(String db) {
            List<DBSnapshot> daily = new ArrayList<>();
            for (Instant d = NOVEMBER.start(); d.isBefore(NOVEMBER.end()); d = d.plus(Duration.ofDays(1))) {
                daily.add(DBSnapshot.builder()
                        .dbSnapshotIdentifier("rds:kfood-db-" + d)
                        .snapshotCreateTime(d.plus(Duration.ofHours(18)))
                        .allocatedStorage(sizeOn(d.plus(Duration.ofHours(18))))
                        .build());
            }
            return daily;
        }
    };

    /** FreeStorageSpace's daily minimum: that day's volume less that day's use. */
    private final ReportReads cloudWatch = new StubReads() {
        @Override
        public GetMetricDataResponse metricData(
                Instant from, Instant to, List<MetricDataQuery> queries, String nextToken) {
            GetMetricDataRequest request = StubReads.request(from, to, queries, nextToken);
            List<MetricDataResult> results = new ArrayList<>();
            for (MetricDataQuery q : request.metricDataQueries()) {
                List<Instant> at = new ArrayList<>();
                List<Double> free = new ArrayList<>();
                long period = q.metricStat().period();
                for (Instant t = request.startTime(); t.isBefore(request.endTime()); t = t.plusSeconds(period)) {
                    Instant late = t.plus(Duration.ofHours(23));
                    at.add(t);
                    free.add((sizeOn(late) - usedOn(t)) * GIB);
                }
                results.add(MetricDataResult.builder()
                        .id(q.id())
                        .timestamps(at)
                        .values(free)
                        .build());
            }
            return GetMetricDataResponse.builder().metricDataResults(results).build();
        }
    };

    @Test
    void anAutoscaledVolumeDoesNotFlattenTheGrowth() {
        CapacitySource source = new CapacitySource(List.of("kfood-db"), rds, new Databases(rds), null, NOVEMBER);
        Metrics metrics = new Metrics(cloudWatch, NOVEMBER);
        source.plan(metrics);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            metrics.fetch(pool);
        } finally {
            pool.shutdownNow();
        }
        Item storage = source.build(metrics).items().stream()
                .filter(i -> i.label().equals("storage kfood-db"))
                .findFirst()
                .orElseThrow();

        assertThat(storage.amount("growthGiBPerDay")).isEqualTo(1.0);
        assertThat(storage.amount("usedGiB")).isEqualTo(69.0);
    }
}
