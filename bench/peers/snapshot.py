"""SnapshotFunction on its scheduled event: the database, the quota, the snapshot, the uploads backup, one
notification. The uploads backup as the Java function does it: both sides listed once (the backup's current
versions), what is new or changed copied into one current prefix, the day's manifest written gzip-compressed.
The Java function runs the uploads copy beside the RDS calls (16 copies at once); this script one after another."""
import gzip
import json
import os

from botocore.exceptions import ClientError

from common import client, notify, run


def work(i):
    rds, s3, sns = client("rds"), client("s3"), client("sns")
    db = os.environ["DB_INSTANCE_IDS"].split(",")[0]
    instance = rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": [db]}])["DBInstances"][0]
    rds.describe_account_attributes()
    snapshot_id = f"py-{db}-{i:04d}-{os.getpid()}"
    try:
        rds.describe_db_snapshots(DBSnapshotIdentifier=snapshot_id)
    except ClientError:
        pass
    tags = [{"Key": "ManagedBy", "Value": "kfood-ops"}] + [t for t in instance.get("TagList", []) if not t["Key"].startswith("aws:")]
    rds.create_db_snapshot(DBInstanceIdentifier=db, DBSnapshotIdentifier=snapshot_id, Tags=tags)
    source, target = os.environ["BACKUP_SOURCE_BUCKET"], os.environ["BACKUP_BUCKET"]
    prefix = f"uploads/py-{i:04d}-{os.getpid()}/current/"
    current = {}
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=target, Prefix=prefix):
        for v in page.get("Versions", []):
            if v["IsLatest"]:
                current[v["Key"][len(prefix):]] = v
    view, copied = [], 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=source):
        for o in page.get("Contents", []):
            there = current.get(o["Key"])
            if there and there["Size"] == o["Size"] and there["ETag"] == o["ETag"]:
                version = there.get("VersionId")
            else:
                answer = s3.copy_object(Bucket=target, Key=prefix + o["Key"], CopySource={"Bucket": source, "Key": o["Key"]})
                version, copied = answer.get("VersionId"), copied + 1
            view.append({"key": o["Key"], "versionId": version, "size": o["Size"], "etag": o["ETag"]})
    manifest = gzip.compress("".join(json.dumps(e) + "\n" for e in sorted(view, key=lambda e: e["key"])).encode())
    s3.put_object(Bucket=target, Key=f"uploads/py-{i:04d}-{os.getpid()}/manifests/day.jsonl.gz", Body=manifest)
    notify(sns, f"Backup: 1 created, {copied} copied", snapshot_id)


run(work)
