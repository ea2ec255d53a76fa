package com.kfood.ops.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageRequest;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageResponse;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBEngineVersion;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.ResourcePendingMaintenanceActions;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.StringFilter;
import software.amazon.awssdk.services.securityhub.model.StringFilterComparison;

/** {@link ReportReads} on AWS: the clients the handler built once, every call counted by them. */
record AwsReportReads(
        CloudWatchClient cloudWatch,
        CloudWatchClient edgeCloudWatch,
        CloudWatchLogsClient logs,
        RdsClient rds,
        Optional<RdsClient> drRds,
        EcsClient ecs,
        ApplicationAutoScalingClient autoscaling,
        S3Client s3,
        Optional<CostExplorerClient> costExplorer,
        Optional<SecurityHubClient> securityHub)
        implements ReportReads {

    @Override
    public GetMetricDataResponse metricData(Instant from, Instant to, List<MetricDataQuery> queries, String nextToken) {
        return cloudWatch.getMetricData(b -> b.startTime(from)
                .endTime(to)
                .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .metricDataQueries(queries)
                .nextToken(nextToken));
    }

    @Override
    public List<Metric> metrics(String namespace) {
        return cloudWatch.listMetricsPaginator(b -> b.namespace(namespace)).metrics().stream()
                .toList();
    }

    @Override
    public GetMetricDataResponse edgeMetricData(
            Instant from, Instant to, List<MetricDataQuery> queries, String nextToken) {
        return edgeCloudWatch.getMetricData(b -> b.startTime(from)
                .endTime(to)
                .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                .metricDataQueries(queries)
                .nextToken(nextToken));
    }

    @Override
    public List<Metric> edgeMetrics(String namespace) {
        return edgeCloudWatch.listMetricsPaginator(b -> b.namespace(namespace)).metrics().stream()
                .toList();
    }

    @Override
    public List<AlarmHistoryItem> stateChanges(Instant start, Instant end) {
        return cloudWatch
                .describeAlarmHistoryPaginator(b -> b.historyItemType(HistoryItemType.STATE_UPDATE)
                        .startDate(start)
                        .endDate(end))
                .alarmHistoryItems()
                .stream()
                .toList();
    }

    @Override
    public List<AlarmNow> alarmsInAlarm() {
        var alarms = cloudWatch.describeAlarmsPaginator(
                b -> b.stateValue(StateValue.ALARM).alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM));
        List<AlarmNow> out = new ArrayList<>();
        alarms.metricAlarms().forEach(a -> out.add(new AlarmNow(a.alarmName(), a.stateUpdatedTimestamp())));
        alarms.compositeAlarms().forEach(a -> out.add(new AlarmNow(a.alarmName(), a.stateUpdatedTimestamp())));
        return out;
    }

    @Override
    public DescribeLogGroupsResponse logGroups(String prefix, int limit) {
        return logs.describeLogGroups(b -> b.logGroupNamePrefix(prefix).limit(limit));
    }

    @Override
    public String startQuery(List<String> groups, Instant from, Instant to, String query) {
        return logs.startQuery(b -> b.logGroupNames(groups)
                        .startTime(from.getEpochSecond())
                        .endTime(to.getEpochSecond() - 1)
                        .queryString(query))
                .queryId();
    }

    @Override
    public GetQueryResultsResponse queryResults(String queryId) {
        return logs.getQueryResults(b -> b.queryId(queryId));
    }

    @Override
    public List<DBSnapshot> snapshots(String db) {
        return rds.describeDBSnapshotsPaginator(b -> b.dbInstanceIdentifier(db)).dbSnapshots().stream()
                .toList();
    }

    @Override
    public List<DBSnapshot> manualSnapshots(String db, boolean inDrRegion) {
        RdsClient region = inDrRegion ? drRds.orElseThrow() : rds;
        return region
                .describeDBSnapshotsPaginator(b -> b.dbInstanceIdentifier(db).snapshotType("manual"))
                .dbSnapshots()
                .stream()
                .toList();
    }

    @Override
    public DBInstance database(String db) {
        return rds.describeDBInstances(b -> b.dbInstanceIdentifier(db))
                .dbInstances()
                .getFirst();
    }

    @Override
    public List<AccountQuota> accountQuotas() {
        return rds.describeAccountAttributes().accountQuotas();
    }

    @Override
    public List<ResourcePendingMaintenanceActions> pendingMaintenance(String dbArn) {
        return rds.describePendingMaintenanceActions(b -> b.resourceIdentifier(dbArn))
                .pendingMaintenanceActions();
    }

    @Override
    public List<DBEngineVersion> engineVersions(String engine, String version) {
        return rds.describeDBEngineVersions(b -> b.engine(engine).engineVersion(version))
                .dbEngineVersions();
    }

    @Override
    public List<ScalableTarget> scalableTargets(List<String> resourceIds) {
        return autoscaling
                .describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS)
                        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                        .resourceIds(resourceIds))
                .scalableTargets();
    }

    @Override
    public List<Service> services(String cluster, List<String> names) {
        return ecs.describeServices(b -> b.cluster(cluster).services(names)).services();
    }

    @Override
    public List<S3Object> objects(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .toList();
    }

    @Override
    public String text(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    @Override
    public GetCostAndUsageResponse costAndUsage(GetCostAndUsageRequest request) {
        return costExplorer.orElseThrow().getCostAndUsage(request);
    }

    @Override
    public List<AwsSecurityFinding> activeFindings(int max) {
        var pages = securityHub
                .orElseThrow()
                .getFindingsPaginator(b -> b.maxResults(100)
                        .filters(f ->
                                f.recordState(equalTo("ACTIVE")).workflowStatus(equalTo("NEW"), equalTo("NOTIFIED"))));
        List<AwsSecurityFinding> out = new ArrayList<>();
        for (AwsSecurityFinding f : pages.findings()) {
            out.add(f);
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    private static StringFilter equalTo(String value) {
        return StringFilter.builder()
                .comparison(StringFilterComparison.EQUALS)
                .value(value)
                .build();
    }
}
