"""patch_report_reads: percentiles in GetMetricData, dimensions in any order, Logs Insights counts,
no pending maintenance, and the postgres engine catalog with its upgrade targets."""
import datetime
import time
import unittest

from emulator_server import OnServer


class ReportReadsTest(OnServer):
    def test_percentiles_by_nearest_rank_and_dimensions_in_any_order(self):
        cloudwatch = self.server.client("cloudwatch")
        now = datetime.datetime.now(datetime.timezone.utc)
        dimensions = [{"Name": "LoadBalancer", "Value": "app/kfood"}, {"Name": "AvailabilityZone", "Value": "a"}]
        cloudwatch.put_metric_data(Namespace="KFood", MetricData=[{
            "MetricName": "Latency", "Dimensions": dimensions, "Timestamp": now,
            "Values": [float(v) for v in range(1, 101)]}])

        def stat(name, dims):
            result = cloudwatch.get_metric_data(
                StartTime=now - datetime.timedelta(minutes=5), EndTime=now + datetime.timedelta(minutes=5),
                MetricDataQueries=[{"Id": "q", "MetricStat": {"Metric": {
                    "Namespace": "KFood", "MetricName": "Latency", "Dimensions": dims},
                    "Period": 600, "Stat": name}}])
            return result["MetricDataResults"][0]["Values"]

        self.assertEqual([95.0], stat("p95", dimensions))
        self.assertEqual([99.0], stat("p99", list(reversed(dimensions))))  # CloudWatch ignores their order
        self.assertEqual([100.0], stat("Maximum", dimensions))

    def test_logs_insights_counts_what_the_filter_matches(self):
        logs = self.server.client("logs")
        logs.create_log_group(logGroupName="/kfood/api")
        logs.create_log_stream(logGroupName="/kfood/api", logStreamName="s")
        now_ms = int(time.time() * 1000)
        logs.put_log_events(logGroupName="/kfood/api", logStreamName="s", logEvents=[
            {"timestamp": now_ms, "message": "ERROR db timeout"},
            {"timestamp": now_ms + 1, "message": "ERROR db timeout"},
            {"timestamp": now_ms + 2, "message": "ERROR cache miss"},
            {"timestamp": now_ms + 3, "message": "INFO fine"}])
        query = ("filter @message like /ERROR/ | stats count(*) as n by @message | sort n desc | limit 1")
        query_id = logs.start_query(logGroupName="/kfood/api", startTime=now_ms // 1000 - 60,
                                    endTime=now_ms // 1000 + 60, queryString=query)["queryId"]
        rows = logs.get_query_results(queryId=query_id)["results"]
        self.assertEqual([{"@message": "ERROR db timeout", "n": "2"}],
                         [{f["field"]: f["value"] for f in row} for row in rows])

    def test_no_maintenance_is_pending_and_the_engine_catalog_names_upgrades(self):
        rds = self.server.client("rds")
        self.assertEqual([], rds.describe_pending_maintenance_actions()["PendingMaintenanceActions"])
        versions = rds.describe_db_engine_versions(Engine="postgres", EngineVersion="16.6")["DBEngineVersions"]
        self.assertEqual(["16.6"], [v["EngineVersion"] for v in versions])
        targets = [(t["EngineVersion"], t["IsMajorVersionUpgrade"]) for t in versions[0]["ValidUpgradeTarget"]]
        self.assertEqual([("16.8", False), ("17.1", True)], targets)


if __name__ == "__main__":
    unittest.main()
