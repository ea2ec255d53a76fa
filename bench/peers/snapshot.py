"""SnapshotFunction on its scheduled event: the database, the quota, the snapshot, the uploads copy, one notification.
The Java function runs the uploads copy beside the RDS calls (16 copies at once); this script one after another."""
import os

from botocore.exceptions import ClientError

from common import client, notify, run


def work(i):
    rds, s3, sns = client("rds"), client("s3"), client("sns")
    db = os.environ["DB_INSTANCE_IDS"].split(",")[0]
    instance = rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": [db]}])["DBInstances"][0]
    try:
        rds.describe_account_attributes()
    except Exception:  # moto answers 500 (not implemented); the Java function reports "quota unknown"
        pass
    snapshot_id = f"py-{db}-{i:04d}-{os.getpid()}"
    try:
        rds.describe_db_snapshots(DBSnapshotIdentifier=snapshot_id)
    except ClientError:
        pass
    tags = [{"Key": "ManagedBy", "Value": "kfood-ops"}] + [t for t in instance.get("TagList", []) if not t["Key"].startswith("aws:")]
    rds.create_db_snapshot(DBInstanceIdentifier=db, DBSnapshotIdentifier=snapshot_id, Tags=tags)
    source, target = os.environ["BACKUP_SOURCE_BUCKET"], os.environ["BACKUP_BUCKET"]
    prefix = f"uploads/py-{i:04d}-{os.getpid()}/"
    existing = {o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=target, Prefix=prefix)
                for o in page.get("Contents", [])}
    copied = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=source):
        for o in page.get("Contents", []):
            if prefix + o["Key"] not in existing:
                s3.copy_object(Bucket=target, Key=prefix + o["Key"], CopySource={"Bucket": source, "Key": o["Key"]})
                copied += 1
    notify(sns, f"Backup: 1 created, {copied} copied", snapshot_id)


run(work)
