"""SnapshotFunction on its scheduled event: the database, the quota, the snapshot, the uploads backup, the
catch-up of copies in the DR region, one notification. As the Java function: the uploads backup reads the
newest manifest up to the day (or lists the backup's versions when there is none), lists the source, copies
what is new or changed into one current prefix and writes the day's manifest gzip-compressed; the DR pass
lists both regions' manual snapshots and copies those without a copy. Its own prefix (uploads-py/) and
snapshot names (py-...), so that neither side's state is the other's. The Java function runs the uploads
copy beside the RDS calls (16 copies at once); this script one after another."""
import gzip
import json
import os
from datetime import date, datetime, timedelta, timezone

import boto3
from botocore.exceptions import ClientError

from common import REGION, client, notify, run

ROOT = "uploads-py/"


def manual_snapshots(rds, dbs):
    return [s for page in rds.get_paginator("describe_db_snapshots").paginate(
        Filters=[{"Name": "db-instance-id", "Values": dbs}, {"Name": "snapshot-type", "Values": ["manual"]}],
        PaginationConfig={"PageSize": 100}) for s in page["DBSnapshots"]]


def backed_up(s3, bucket, day):
    """The newest manifest up to the day, or the current versions when there is none."""
    up_to = f"{ROOT}manifests/{day:%Y%m%d}.jsonl.gz"
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=ROOT + "manifests/")
            for o in page.get("Contents", []) if o["Key"] <= up_to]
    if keys:
        lines = gzip.decompress(s3.get_object(Bucket=bucket, Key=max(keys))["Body"].read()).decode().splitlines()
        return {e["key"]: e for e in map(json.loads, lines)}
    present, deleted = {}, set()
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=ROOT + "current/"):
        deleted.update(m["Key"] for m in page.get("DeleteMarkers", []) if m["IsLatest"])
        for v in page.get("Versions", []):
            if v["IsLatest"]:
                present[v["Key"]] = {"key": v["Key"][len(ROOT + "current/"):], "versionId": v.get("VersionId"),
                                     "size": v["Size"], "etag": v["ETag"]}
    return {e["key"]: e for k, e in present.items() if k not in deleted}


def uploads(s3, day):
    source, target = os.environ["BACKUP_SOURCE_BUCKET"], os.environ["BACKUP_BUCKET"]
    present, view, copied = backed_up(s3, target, day), [], 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=source):
        for o in page.get("Contents", []):
            there = present.pop(o["Key"], None)
            if there and there["size"] == o["Size"] and there["etag"] == o["ETag"]:
                version = there["versionId"]
            else:
                answer = s3.copy_object(Bucket=target, Key=ROOT + "current/" + o["Key"],
                                        CopySource={"Bucket": source, "Key": o["Key"]})
                version, copied = answer.get("VersionId"), copied + 1
            view.append({"key": o["Key"], "versionId": version, "size": o["Size"], "etag": o["ETag"]})
    for gone in present:
        s3.delete_object(Bucket=target, Key=ROOT + "current/" + gone)
    manifest = gzip.compress("".join(json.dumps(e) + "\n" for e in sorted(view, key=lambda e: e["key"])).encode())
    s3.put_object(Bucket=target, Key=f"{ROOT}manifests/{day:%Y%m%d}.jsonl.gz", Body=manifest,
                  ContentType="application/x-ndjson", ContentEncoding="gzip")
    return copied


def dr_catch_up(rds, dbs):
    """The copies missing in the DR region of this script's own snapshots within the DR retention."""
    dr = boto3.client("rds", region_name=os.environ["DR_REGION"])
    copies = {s["DBSnapshotIdentifier"] for s in manual_snapshots(dr, dbs)}
    oldest = datetime.now(timezone.utc) - timedelta(days=int(os.environ.get("DR_RETENTION_DAYS") or os.environ.get("RETENTION_DAYS") or "30"))
    started = 0
    for s in manual_snapshots(rds, dbs):
        if (s["DBSnapshotIdentifier"].startswith("py-") and s["Status"] == "available"
                and s["SnapshotCreateTime"] > oldest and s["DBSnapshotIdentifier"] not in copies):
            dr.copy_db_snapshot(SourceDBSnapshotIdentifier=s["DBSnapshotArn"], SourceRegion=REGION,
                                TargetDBSnapshotIdentifier=s["DBSnapshotIdentifier"],
                                KmsKeyId=os.environ.get("DR_KMS_KEY_ID") or "alias/aws/rds",
                                Tags=[t for t in s.get("TagList", []) if t["Key"] == "ManagedBy" or t["Key"].startswith("kfood-ops:")])
            started += 1
    return started


def work(i):
    day = date(2025, 1, 1) + timedelta(days=i)  # the benchmark's events: one day per run
    rds, s3, sns = client("rds"), client("s3"), client("sns")
    dbs = os.environ["DB_INSTANCE_IDS"].split(",")
    instances = [d for page in rds.get_paginator("describe_db_instances").paginate(
        Filters=[{"Name": "db-instance-id", "Values": dbs}]) for d in page["DBInstances"]]
    rds.describe_account_attributes()
    created = []
    for instance in instances:
        snapshot_id = f"py-{instance['DBInstanceIdentifier']}-{day:%Y%m%d}-1800-{os.getpid()}"
        try:
            rds.describe_db_snapshots(DBSnapshotIdentifier=snapshot_id)
            continue
        except ClientError:
            pass
        tags = [{"Key": "ManagedBy", "Value": "kfood-ops"}] + [
            t for t in instance.get("TagList", []) if not t["Key"].startswith("aws:")]
        rds.create_db_snapshot(DBInstanceIdentifier=instance["DBInstanceIdentifier"],
                               DBSnapshotIdentifier=snapshot_id, Tags=tags)
        created.append(snapshot_id)
    copied = uploads(s3, day)
    dr = dr_catch_up(rds, dbs) if os.environ.get("DR_REGION") else 0
    notify(sns, f"Backup for {day}: {len(created)} created, {copied} copied, {dr} DR copies", ", ".join(created))


run(work)
