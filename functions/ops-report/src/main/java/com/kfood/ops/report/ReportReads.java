package com.kfood.ops.report;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
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

/**
 * Every AWS read the report's sources make: the seam their unit tests fake; {@link AwsReportReads}
 * makes the calls (the SDK's paginators read every page). AWS's exceptions pass through: each source
 * says what a refusal means for its section.
 */
interface ReportReads {
    /** An alarm in ALARM now, and since when. */
    record AlarmNow(String name, Instant since) {}

    // ---- CloudWatch

    /** One page of GetMetricData (the caller batches the queries and follows {@code nextToken}). */
    GetMetricDataResponse metricData(Instant from, Instant to, List<MetricDataQuery> queries, String nextToken);

    /** The metrics published under {@code namespace}. */
    List<Metric> metrics(String namespace);

    /** GetMetricData in us-east-1, where CloudFront and a CloudFront web ACL's WAF publish. */
    GetMetricDataResponse edgeMetricData(Instant from, Instant to, List<MetricDataQuery> queries, String nextToken);

    /** The metrics published under {@code namespace} in us-east-1. */
    List<Metric> edgeMetrics(String namespace);

    /** Every alarm's state changes between the two times. */
    List<AlarmHistoryItem> stateChanges(Instant start, Instant end);

    /** The metric and composite alarms in ALARM now. */
    List<AlarmNow> alarmsInAlarm();

    // ---- CloudWatch Logs

    /** The first {@code limit} log groups under {@code prefix} (a next token says there are more). */
    DescribeLogGroupsResponse logGroups(String prefix, int limit);

    /** Starts a Logs Insights query over the groups, {@code from} inclusive to {@code to} exclusive. */
    String startQuery(List<String> groups, Instant from, Instant to, String query);

    GetQueryResultsResponse queryResults(String queryId);

    // ---- RDS

    /** The database's snapshots of every type (each records the volume's size when it was taken). */
    List<DBSnapshot> snapshots(String db);

    /** The database's manual snapshots, in this region or in the DR region. */
    List<DBSnapshot> manualSnapshots(String db, boolean inDrRegion);

    DBInstance database(String db);

    List<AccountQuota> accountQuotas();

    List<ResourcePendingMaintenanceActions> pendingMaintenance(String dbArn);

    List<DBEngineVersion> engineVersions(String engine, String version);

    // ---- ECS and Application Auto Scaling

    /** The ECS services' desired-count scalable targets. */
    List<ScalableTarget> scalableTargets(List<String> resourceIds);

    List<Service> services(String cluster, List<String> names);

    // ---- S3

    List<S3Object> objects(String bucket, String prefix);

    /** An object's content as UTF-8 text. */
    String text(String bucket, String key);

    // ---- Cost Explorer and Security Hub (read only when the configuration turns them on)

    GetCostAndUsageResponse costAndUsage(GetCostAndUsageRequest request);

    /** Up to {@code max} active findings that are new or notified. */
    List<AwsSecurityFinding> activeFindings(int max);
}
