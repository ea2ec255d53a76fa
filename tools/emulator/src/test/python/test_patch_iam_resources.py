"""patch_iam_resources: each resource a call acts on must be allowed, IAM's wildcards as IAM reads
them, CloudWatch's actions under IAM's prefix, and each denial in the server's log."""
import json
import unittest

from botocore.exceptions import ClientError

from emulator_server import ACCOUNT, REGION, OnServer, database

DB = f"arn:aws:rds:{REGION}:{ACCOUNT}:db:"
SNAPSHOT = f"arn:aws:rds:{REGION}:{ACCOUNT}:snapshot:"


class IamResourcesTest(OnServer):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rds = cls.server.client("rds")
        for name in ("allowed-db", "allowed-dbx", "other-db"):
            database(rds, name)
        iam = cls.server.client("iam", region="us-east-1")
        iam.create_user(UserName="snapshotter")
        iam.put_user_policy(UserName="snapshotter", PolicyName="least", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "rds:CreateDBSnapshot",
                 "Resource": [DB + "allowed-d?", SNAPSHOT + "kfood-*"]},
                {"Effect": "Allow", "Action": "cloudwatch:DescribeAlarms", "Resource": "*"},
            ]}))
        key = iam.create_access_key(UserName="snapshotter")["AccessKey"]
        cls.reader = staticmethod(cls.reporter(iam))
        cls.server.enforce_iam()
        cls.rds = cls.server.client("rds", key["AccessKeyId"], key["SecretAccessKey"])
        cls.cloudwatch = cls.server.client("cloudwatch", key["AccessKeyId"], key["SecretAccessKey"])

    @classmethod
    def reporter(cls, iam):
        """The report's security-updates reads: a secret, a log group and a repository, each by name."""
        secrets = cls.server.client("secretsmanager")
        for name in ("kfood/db", "other/db"):
            secrets.create_secret(Name=name, SecretString="never read")
        logs = cls.server.client("logs")
        for group in ("/aws/kfood-shorts/kfood-backend", "/other/app"):
            logs.create_log_group(logGroupName=group)
        ecr = cls.server.client("ecr")
        for repo in ("kfood-backend", "other-app"):
            ecr.create_repository(repositoryName=repo)
        iam.create_user(UserName="reporter")
        iam.put_user_policy(UserName="reporter", PolicyName="least", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "secretsmanager:DescribeSecret",
                 "Resource": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:kfood/db-??????"},
                {"Effect": "Allow", "Action": "logs:DescribeLogStreams",
                 "Resource": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/kfood-shorts/*"},
                {"Effect": "Allow", "Action": "ecr:DescribeImageScanFindings",
                 "Resource": f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/kfood-*"},
            ]}))
        key = iam.create_access_key(UserName="reporter")["AccessKey"]
        return lambda service: cls.server.client(service, key["AccessKeyId"], key["SecretAccessKey"])

    def denied(self, db, snapshot):
        with self.assertRaises(ClientError) as refused:
            self.rds.create_db_snapshot(DBInstanceIdentifier=db, DBSnapshotIdentifier=snapshot)
        self.assertEqual("AccessDenied", refused.exception.response["Error"]["Code"])

    def test_a_call_on_allowed_resources_runs(self):
        self.rds.create_db_snapshot(DBInstanceIdentifier="allowed-db", DBSnapshotIdentifier="kfood-1")

    def test_each_resource_must_be_allowed_and_each_denial_is_logged(self):
        self.denied("other-db", "kfood-2")  # the database is not allowed
        self.denied("allowed-db", "someone-elses")  # the snapshot is not
        self.assertIn(f"kfood-ops-denied rds:CreateDBSnapshot {DB}other-db", self.server.log())
        self.assertIn(f"kfood-ops-denied rds:CreateDBSnapshot {SNAPSHOT}someone-elses", self.server.log())

    def test_a_question_mark_is_exactly_one_character(self):
        self.denied("allowed-dbx", "kfood-3")

    def test_cloudwatch_is_authorised_under_iams_prefix(self):
        self.assertEqual([], self.cloudwatch.describe_alarms()["MetricAlarms"])
        with self.assertRaises(ClientError) as refused:
            self.cloudwatch.list_metrics()
        # moto answers this denial in XML, which boto3's JSON client cannot read: its status says it
        self.assertEqual(403, refused.exception.response["ResponseMetadata"]["HTTPStatusCode"])
        self.assertIn("kfood-ops-denied cloudwatch:ListMetrics", self.server.log())

    def test_the_reports_reads_are_authorised_on_the_resource_they_name(self):
        self.reader("secretsmanager").describe_secret(SecretId="kfood/db")
        self.reader("logs").describe_log_streams(logGroupName="/aws/kfood-shorts/kfood-backend")
        for call in (lambda: self.reader("secretsmanager").describe_secret(SecretId="other/db"),
                     lambda: self.reader("logs").describe_log_streams(logGroupName="/other/app")):
            with self.assertRaises(ClientError):
                call()
        with self.assertRaises(ClientError) as refused:  # allowed: the image has simply never been scanned
            self.reader("ecr").describe_image_scan_findings(repositoryName="kfood-backend", imageId={"imageTag": "1"})
        self.assertNotEqual("AccessDeniedException", refused.exception.response["Error"]["Code"])
        with self.assertRaises(ClientError):
            self.reader("ecr").describe_image_scan_findings(repositoryName="other-app", imageId={"imageTag": "1"})
        log = self.server.log()
        self.assertIn(f"kfood-ops-denied secretsmanager:DescribeSecret arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:other/db", log)
        self.assertIn(f"kfood-ops-denied logs:DescribeLogStreams arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/other/app", log)
        self.assertIn(f"kfood-ops-denied ecr:DescribeImageScanFindings arn:aws:ecr:{REGION}:{ACCOUNT}:repository/other-app", log)


if __name__ == "__main__":
    unittest.main()
