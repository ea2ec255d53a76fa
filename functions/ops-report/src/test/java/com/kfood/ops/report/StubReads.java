package com.kfood.ops.report;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageRequest;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBEngineVersion;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.ResourcePendingMaintenanceActions;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;

/** The report's reads as a test answers them: only what it overrides; any other read fails, named. */
abstract class StubReads implements ReportReads {
    /** GetMetricData's arguments as one request, as a test reads them. */
    static GetMetricDataRequest request(Instant from, Instant to, List<MetricDataQuery> queries, String nextToken) {
        return GetMetricDataRequest.builder()
                .startTime(from)
                .endTime(to)
                .metricDataQueries(queries)
                .nextToken(nextToken)
                .build();
    }

    private static UnsupportedOperationException unexpected(String read) {
        return new UnsupportedOperationException("this test does not answer " + read);
    }

    @Override
    public GetMetricDataResponse metricData(Instant from, Instant to, List<MetricDataQuery> queries, String token) {
        throw unexpected("metricData");
    }

    @Override
    public List<Metric> metrics(String namespace) {
        throw unexpected("metrics");
    }

    @Override
    public GetMetricDataResponse edgeMetricData(Instant from, Instant to, List<MetricDataQuery> queries, String token) {
        throw unexpected("edgeMetricData");
    }

    @Override
    public List<Metric> edgeMetrics(String namespace) {
        throw unexpected("edgeMetrics");
    }

    @Override
    public List<AlarmHistoryItem> stateChanges(Instant start, Instant end) {
        throw unexpected("stateChanges");
    }

    @Override
    public List<AlarmNow> alarmsInAlarm() {
        throw unexpected("alarmsInAlarm");
    }

    @Override
    public DescribeLogGroupsResponse logGroups(String prefix, int limit) {
        throw unexpected("logGroups");
    }

    @Override
    public String startQuery(List<String> groups, Instant from, Instant to, String query) {
        throw unexpected("startQuery");
    }

    @Override
    public GetQueryResultsResponse queryResults(String queryId) {
        throw unexpected("queryResults");
    }

    @Override
    public List<DBSnapshot> snapshots(String db) {
        throw unexpected("snapshots");
    }

    @Override
    public List<DBSnapshot> manualSnapshots(String db, boolean inDrRegion) {
        throw unexpected("manualSnapshots");
    }

    @Override
    public DBInstance database(String db) {
        throw unexpected("database");
    }

    @Override
    public List<AccountQuota> accountQuotas() {
        throw unexpected("accountQuotas");
    }

    @Override
    public List<ResourcePendingMaintenanceActions> pendingMaintenance(String dbArn) {
        throw unexpected("pendingMaintenance");
    }

    @Override
    public List<DBEngineVersion> engineVersions(String engine, String version) {
        throw unexpected("engineVersions");
    }

    @Override
    public List<ScalableTarget> scalableTargets(List<String> resourceIds) {
        throw unexpected("scalableTargets");
    }

    @Override
    public List<Service> services(String cluster, List<String> names) {
        throw unexpected("services");
    }

    @Override
    public List<S3Object> objects(String bucket, String prefix) {
        throw unexpected("objects");
    }

    @Override
    public String text(String bucket, String key) {
        throw unexpected("text");
    }

    @Override
    public GetCostAndUsageResponse costAndUsage(GetCostAndUsageRequest request) {
        throw unexpected("costAndUsage");
    }

    @Override
    public List<AwsSecurityFinding> activeFindings(int max) {
        throw unexpected("activeFindings");
    }
}
