"""patch_missing_calls: rds:DescribeAccountAttributes and cloudwatch:DescribeAlarmHistory, answered
as AWS documents them."""
import unittest

from emulator_server import OnServer, database


class MissingCallsTest(OnServer):
    SERVER_ENV = {"MOTO_RDS_SNAPSHOT_LIMIT": "7"}

    def test_the_account_quotas_count_what_the_region_holds(self):
        rds = self.server.client("rds")
        database(rds, "quota-db")
        rds.create_db_snapshot(DBInstanceIdentifier="quota-db", DBSnapshotIdentifier="manual-1")
        quotas = {q["AccountQuotaName"]: q for q in rds.describe_account_attributes()["AccountQuotas"]}
        self.assertEqual({"Used": 1, "Max": 7}, {k: quotas["ManualSnapshots"][k] for k in ("Used", "Max")})
        self.assertEqual(1, quotas["DBInstances"]["Used"])
        self.assertEqual(20, quotas["AllocatedStorage"]["Used"])

    def test_automated_backups_replicated_to_another_region_are_listed_there_with_the_sources_arn(self):
        # the source in a region of its own: the quota test counts the home region's databases
        seoul = self.server.client("rds", region="us-east-1")
        database(seoul, "replicated-db")
        source = seoul.describe_db_instances(DBInstanceIdentifier="replicated-db")["DBInstances"][0]["DBInstanceArn"]
        tokyo = self.server.client("rds", region="ap-northeast-1")
        self.assertEqual([], [b for b in tokyo.describe_db_instance_automated_backups()["DBInstanceAutomatedBackups"]
                              if b.get("DBInstanceArn") == source])

        started = tokyo.start_db_instance_automated_backups_replication(
            SourceDBInstanceArn=source, BackupRetentionPeriod=30)["DBInstanceAutomatedBackup"]

        self.assertEqual(("replicating", 30), (started["Status"], started["BackupRetentionPeriod"]))
        listed = [b for b in tokyo.describe_db_instance_automated_backups()["DBInstanceAutomatedBackups"]
                  if b.get("DBInstanceArn") == source]
        self.assertEqual(1, len(listed))
        self.assertEqual("us-east-1", listed[0]["Region"])
        # the source's region lists no replica of its own database
        self.assertFalse(any(b.get("Status") == "replicating"
                             for b in seoul.describe_db_instance_automated_backups()["DBInstanceAutomatedBackups"]))

    def test_a_replication_of_what_is_no_database_is_refused(self):
        tokyo = self.server.client("rds", region="ap-northeast-1")
        with self.assertRaises(Exception) as refused:
            tokyo.start_db_instance_automated_backups_replication(SourceDBInstanceArn="arn:aws:s3:::bucket")
        self.assertIn("SourceDBInstanceArn", str(refused.exception))

    def test_the_alarm_history_holds_each_state_change_newest_first(self):
        cloudwatch = self.server.client("cloudwatch")
        cloudwatch.put_metric_alarm(AlarmName="kfood-history", MetricName="Errors", Namespace="KFood",
                                    Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1.0,
                                    ComparisonOperator="GreaterThanThreshold")
        cloudwatch.set_alarm_state(AlarmName="kfood-history", StateValue="ALARM", StateReason="test")
        cloudwatch.set_alarm_state(AlarmName="kfood-history", StateValue="OK", StateReason="test")
        items = cloudwatch.describe_alarm_history(AlarmName="kfood-history")["AlarmHistoryItems"]
        # moto creates an alarm in OK (CloudWatch in INSUFFICIENT_DATA): the history says what moto kept
        self.assertEqual(["Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM"],
                         [i["HistorySummary"] for i in items])
        self.assertEqual({"StateUpdate"}, {i["HistoryItemType"] for i in items})
        self.assertEqual([], cloudwatch.describe_alarm_history(
            AlarmName="kfood-history", HistoryItemType="Action")["AlarmHistoryItems"])
        self.assertEqual(1, len(cloudwatch.describe_alarm_history(
            AlarmName="kfood-history", MaxRecords=1)["AlarmHistoryItems"]))


if __name__ == "__main__":
    unittest.main()
