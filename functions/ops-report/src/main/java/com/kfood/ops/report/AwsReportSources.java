package com.kfood.ops.report;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;

/** The sections' sources over the AWS clients the handler built once. */
record AwsReportSources(
        ReportConfig config,
        CloudWatchClient cloudWatch,
        CloudWatchLogsClient logs,
        RdsClient rds,
        Optional<RdsClient> drRds,
        EcsClient ecs,
        ApplicationAutoScalingClient autoscaling,
        S3Client s3,
        Optional<CostExplorerClient> costExplorer,
        Optional<SecurityHubClient> securityHub,
        CallCount count,
        Clock clock)
        implements ReportSources {

    @Override
    public Metrics metrics(ReportPeriod period) {
        return new Metrics(cloudWatch, period);
    }

    @Override
    public List<Source> sources(ReportPeriod period, Instant now) {
        MetricCatalog catalog = new MetricCatalog(cloudWatch, config.metricsNamespace());
        Fleet fleet = new Fleet(ecs, autoscaling, config.ecsCluster(), config.services());
        List<String> dbs = config.backup().dbInstanceIds();
        Databases databases = new Databases(rds);
        return List.of(
                new AvailabilitySource(catalog, period, config.slaTargetPercent()),
                new ApiSource(config.albFullName(), period),
                new ResourcesSource(config, period, fleet),
                new ErrorsSource(logs, config.platformLogGroupPrefix(), period, clock, config.logsQueryTimeout()),
                new BackupsSource(
                        config.backup(), rds, drRds, s3, config.stateBucket(), config.metricsNamespace(), now),
                new ChangesSource(catalog, cloudWatch, period),
                new CapacitySource(dbs, rds, databases, fleet, period),
                new MaintenanceSource(dbs, rds, databases, securityHub),
                new CostSource(costExplorer, period, now));
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            () -> cloudWatch.getMetricData(b -> b.startTime(Instant.EPOCH)
                    .endTime(Instant.EPOCH.plusSeconds(60))
                    .metricDataQueries(q -> q.id("p")
                            .metricStat(m -> m.period(60)
                                    .stat("p95")
                                    .metric(x -> x.namespace("KfoodOps").metricName("Success"))))),
            () -> cloudWatch.listMetrics(b -> b.namespace(config.metricsNamespace())),
            () -> rds.describeDBInstances(
                    b -> b.dbInstanceIdentifier(config.backup().dbInstanceIds().getFirst())),
            () -> logs.describeLogGroups(b -> b.logGroupNamePrefix(config.platformLogGroupPrefix()))
        };
    }

    @Override
    public Map<String, Integer> calls() {
        return count.snapshot();
    }
}
