package com.kfood.ops.report;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/** The sections' sources over the report's AWS reads (built once by the handler). */
record AwsReportSources(ReportConfig config, ReportReads reads, UpkeepReads upkeep, CallCount count, Clock clock)
        implements ReportSources {

    @Override
    public Metrics metrics(ReportPeriod period) {
        return new Metrics(reads, period);
    }

    @Override
    public List<Source> sources(ReportPeriod period, Instant now) {
        MetricCatalog catalog = new MetricCatalog(reads, config.metricsNamespace());
        Fleet fleet = new Fleet(reads, config.ecsCluster(), config.services());
        List<String> dbs = config.backup().dbInstanceIds();
        Databases databases = new Databases(reads);
        return List.of(
                new AvailabilitySource(catalog, period, config.slaTargetPercent()),
                new ApiSource(config.albFullName(), period),
                new EdgeSource(reads, config.albFullName(), period, config.edge()),
                new ResourcesSource(config, period, fleet),
                new ErrorsSource(
                        reads,
                        new LogLiveness(upkeep, config.upkeep(), now),
                        config.platformLogGroupPrefix(),
                        period,
                        clock,
                        config.logsQueryTimeout()),
                new BackupsSource(config.backup(), reads, config.stateBucket(), config.metricsNamespace(), now),
                new ChangesSource(catalog, reads, period),
                new CapacitySource(dbs, reads, databases, fleet, period),
                new MaintenanceSource(config, reads, upkeep, databases, period, now),
                new CostSource(config.costExplorer(), reads, period, now));
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            () -> reads.metricData(
                    Instant.EPOCH,
                    Instant.EPOCH.plusSeconds(60),
                    List.of(MetricDataQuery.builder()
                            .id("p")
                            .metricStat(m -> m.period(60)
                                    .stat("p95")
                                    .metric(x -> x.namespace("KfoodOps").metricName("Success")))
                            .build()),
                    null),
            () -> reads.metrics(config.metricsNamespace()),
            () -> reads.database(config.backup().dbInstanceIds().getFirst()),
            () -> reads.logGroups(config.platformLogGroupPrefix(), 50)
        };
    }

    @Override
    public Map<String, Integer> calls() {
        return count.snapshot();
    }
}
