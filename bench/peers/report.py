"""OpsReportFunction's weekly report as a dry run: the stack's metrics listed, every metric of the
report in three GetMetricData calls (the window's series, this week's totals, last week's), the
services and their autoscaling bounds, each database's snapshots here and in the DR region, the
uploads manifests, the drill reports, the alarm history, the database, its pending maintenance and
engine versions, Security Hub's findings, Cost Explorer; nothing stored or sent. The same calls as
the Java function, one after another."""
import datetime
import os
from zoneinfo import ZoneInfo

import boto3
from common import client, run

NS = os.environ.get("METRICS_NAMESPACE", "KfoodOps")


def stat(i, ns, name, dims, stat_name, period):
    return {"Id": f"q{i}", "ReturnData": True, "MetricStat": {
        "Stat": stat_name, "Period": period,
        "Metric": {"Namespace": ns, "MetricName": name, "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()]}}}


def get(cw, queries, start, end):
    for i in range(0, len(queries), 500):
        token = None
        while True:
            args = {"MetricDataQueries": queries[i:i + 500], "StartTime": start, "EndTime": end,
                    "ScanBy": "TimestampAscending"}
            if token:
                args["NextToken"] = token
            page = cw.get_metric_data(**args)
            token = page.get("NextToken")
            if not token:
                break


def work(i):
    cw, rds, ecs, s3 = client("cloudwatch"), client("rds"), client("ecs"), client("s3")
    aas, sh = client("application-autoscaling"), client("securityhub")
    ce = boto3.client("ce", region_name="us-east-1")  # Cost Explorer answers in us-east-1 only
    zone = ZoneInfo(os.environ.get("REPORT_TIME_ZONE", "Asia/Seoul"))
    end = datetime.datetime.now(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    start, before = end - datetime.timedelta(days=7), end - datetime.timedelta(days=14)
    listed = [m for page in cw.get_paginator("list_metrics").paginate(Namespace=NS) for m in page["Metrics"]]

    def ours(name, service):
        seen = []
        for m in listed:
            dims = {d["Name"]: d["Value"] for d in m["Dimensions"]}
            if m["MetricName"] == name and dims.get("Service") == service and dims not in seen:
                seen.append(dims)
        return seen

    series, totals = [], []
    for dims in ours("Success", "HealthCheckFunction"):
        for s in ("Sum", "SampleCount"):
            totals.append((NS, "Success", dims, s))
            series.append((NS, "Success", dims, s))
    alb = {"LoadBalancer": os.environ["ALB_FULL_NAME"]}
    for p in ("p50", "p95", "p99"):
        totals.append(("AWS/ApplicationELB", "TargetResponseTime", alb, p))
    for name in ("RequestCount", "HTTPCode_Target_4XX_Count", "HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count"):
        totals.append(("AWS/ApplicationELB", name, alb, "Sum"))
    series += [("AWS/ApplicationELB", "TargetResponseTime", alb, "p95"), ("AWS/ApplicationELB", "RequestCount", alb, "Sum")]
    services = [os.environ.get("BACKEND_SERVICE", "kfood-backend"), os.environ.get("FRONTEND_SERVICE", "kfood-frontend")]
    cluster = os.environ.get("ECS_CLUSTER", "kfood-cluster")
    for svc in services:
        dims = {"ClusterName": cluster, "ServiceName": svc}
        for name in ("CPUUtilization", "MemoryUtilization"):
            totals += [("AWS/ECS", name, dims, "Average"), ("AWS/ECS", name, dims, "Maximum")]
        series.append(("AWS/ECS", "CPUUtilization", dims, "Average"))
    dbs = os.environ["DB_INSTANCE_IDS"].split(",")
    for db in dbs:
        dims = {"DBInstanceIdentifier": db}
        for name in ("CPUUtilization", "DatabaseConnections"):
            totals += [("AWS/RDS", name, dims, "Average"), ("AWS/RDS", name, dims, "Maximum")]
        totals.append(("AWS/RDS", "FreeableMemory", dims, "Minimum"))
    for cache in [c for c in os.environ.get("CACHE_CLUSTER_IDS", "").split(",") if c]:
        dims = {"CacheClusterId": cache}
        for name in ("CPUUtilization", "DatabaseMemoryUsagePercentage"):
            totals += [("AWS/ElastiCache", name, dims, "Average"), ("AWS/ElastiCache", name, dims, "Maximum")]
        totals.append(("AWS/ElastiCache", "Evictions", dims, "Sum"))
    totals.append((NS, "ObjectCopyFailures", {"Service": "SnapshotFunction"}, "Sum"))
    for name, svc in [(n, "DeployNotifierFunction") for n in ("DeploymentsStarted", "DeploymentsSucceeded",
                                                            "DeploymentsFailed", "DeploymentsRolledBack")] + \
                     [(n, "AlarmRemediationFunction") for n in ("ActionsExecuted", "ActionsSuppressed", "ActionsFailed")]:
        totals += [(NS, name, dims, "Sum") for dims in ours(name, svc)]
    for dims in ours("DeploymentDurationSeconds", "DeployNotifierFunction"):
        totals += [(NS, "DeploymentDurationSeconds", dims, "Sum"), (NS, "DeploymentDurationSeconds", dims, "SampleCount")]

    get(cw, [stat(n, *q, 86400) for n, q in enumerate(series)], start, end)
    get(cw, [stat(n, *q, 7 * 86400) for n, q in enumerate(totals)], start, end)
    get(cw, [stat(n, *q, 7 * 86400) for n, q in enumerate(totals)], before, start)

    ids = [f"service/{cluster}/{s}" for s in services]
    aas.describe_scalable_targets(ServiceNamespace="ecs", ScalableDimension="ecs:service:DesiredCount", ResourceIds=ids)
    ecs.describe_services(cluster=cluster, services=services)
    dr = boto3.client("rds", region_name=os.environ["DR_REGION"]) if os.environ.get("DR_REGION") else None
    for db in dbs:
        for c in [rds] + ([dr] if dr else []):
            [s for page in c.get_paginator("describe_db_snapshots").paginate(DBInstanceIdentifier=db, SnapshotType="manual")
             for s in page["DBSnapshots"]]
    if os.environ.get("BACKUP_BUCKET"):
        s3.list_objects_v2(Bucket=os.environ["BACKUP_BUCKET"], Prefix="uploads/manifests/")
    if os.environ.get("STATE_BUCKET"):
        runs = s3.list_objects_v2(Bucket=os.environ["STATE_BUCKET"], Prefix="drills/runs/").get("Contents", [])
        reports = sorted((o for o in runs if o["Key"].endswith("/report.json")), key=lambda o: o["LastModified"])
        if reports:
            s3.get_object(Bucket=os.environ["STATE_BUCKET"], Key=reports[-1]["Key"])["Body"].read()
    [h for page in cw.get_paginator("describe_alarm_history").paginate(
        HistoryItemType="StateUpdate", StartDate=start, EndDate=end) for h in page["AlarmHistoryItems"]]
    for db in dbs:
        instance = rds.describe_db_instances(DBInstanceIdentifier=db)["DBInstances"][0]
        rds.describe_pending_maintenance_actions(ResourceIdentifier=instance["DBInstanceArn"])
        rds.describe_db_engine_versions(Engine=instance["Engine"], EngineVersion=instance["EngineVersion"])
    sh.get_findings(MaxResults=100, Filters={"RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
                                             "WorkflowStatus": [{"Value": "NEW", "Comparison": "EQUALS"},
                                                                {"Value": "NOTIFIED", "Comparison": "EQUALS"}]})
    ce.get_cost_and_usage(TimePeriod={"Start": before.date().isoformat(), "End": end.date().isoformat()},
                          Granularity="DAILY", Metrics=["UnblendedCost"],
                          GroupBy=[{"Type": "DIMENSION", "Key": "SERVICE"}])


run(work)
