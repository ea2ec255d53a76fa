"""The same AWS work as each kfood-ops function, in Python with boto3: the benchmark's yardstick.

Each mode makes the calls the Java function makes on its first invocation (see bench/README in
docs/benchmarks.md). Configuration comes from the environment, as for the Java functions.
Usage: python3 equivalents.py snapshot|prune|alarm|deploy|drill <run-index>
"""
import json
import os
import sys
import time

import boto3
from botocore.exceptions import ClientError

REGION = os.environ.get("AWS_REGION", "ap-northeast-2")
TOPIC = os.environ["NOTIFY_TOPIC_ARN"]
CALLS = []


def record_call(model, **_):
    """Each API call as service:Operation, as the benchmark compares it with the Java side's."""
    CALLS.append("".join(c for c in model.service_model.service_id.lower() if c.isalnum()) + ":" + model.name)


boto3.setup_default_session()
boto3.DEFAULT_SESSION.events.register("before-call", record_call)


def client(name):
    return boto3.client(name, region_name=REGION)


def notify(sns, subject, text):
    sns.publish(TopicArn=TOPIC, Subject=subject[:100], MessageStructure="json",
                Message=json.dumps({"default": json.dumps({"version": "1.0", "source": "custom",
                                                           "content": {"title": subject, "description": text}}),
                                    "email": text}))


def snapshot(i):
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


def prune(i):
    rds, sns = client("rds"), client("sns")
    dbs = os.environ["DB_INSTANCE_IDS"].split(",")
    rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": dbs}])
    snapshots = [s for page in rds.get_paginator("describe_db_snapshots").paginate(
        Filters=[{"Name": "db-instance-id", "Values": dbs}, {"Name": "snapshot-type", "Values": ["manual"]}])
        for s in page["DBSnapshots"]]
    notify(sns, f"Dry run: prune would delete 0 of {len(snapshots)}", "dry run")


def alarm(i):
    ecs, sns = client("ecs"), client("sns")
    cluster, service = os.environ.get("ECS_CLUSTER", "kfood-cluster"), os.environ.get("BACKEND_SERVICE", "kfood-backend")
    svc = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
    ecs.list_tags_for_resource(resourceArn=svc["serviceArn"])
    ecs.tag_resource(resourceArn=svc["serviceArn"], tags=[{"key": "kfood-ops:remediations", "value": f"{i}:py"}])
    ecs.update_service(cluster=cluster, service=service, forceNewDeployment=True)
    notify(sns, "kfood-ops-backend-5xx: ecs-force-new-deployment done", "done")


def deploy(i):
    ecs, s3, sns = client("ecs"), client("s3"), client("sns")
    svc = ecs.describe_services(cluster="kfood-cluster", services=["kfood-backend"])["services"][0]
    ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])
    s3.put_object(Bucket=os.environ["STATE_BUCKET"], Key=f"dedup/py/{i}/{os.getpid()}", Body=b"", IfNoneMatch="*")
    notify(sns, "kfood-backend deployed", "deployed")


def drill(i):
    """The restore drill's start step as a dry run: each database's newest snapshot of this stack, nothing restored."""
    rds = client("rds")
    stack, prefix = os.environ["STACK_NAME"], os.environ["SNAPSHOT_PREFIX"]
    plan = {}
    for db in os.environ["DB_INSTANCE_IDS"].split(","):
        ours = [s for page in rds.get_paginator("describe_db_snapshots").paginate(
            DBInstanceIdentifier=db, SnapshotType="manual", IncludeShared=False, IncludePublic=False)
            for s in page["DBSnapshots"]
            if s["Status"] == "available" and s["DBSnapshotIdentifier"].startswith(f"{prefix}-{db}-")
            and {"Key": "ManagedBy", "Value": stack} in s.get("TagList", [])]
        newest = max(ours, key=lambda s: s["SnapshotCreateTime"], default=None)
        plan[db] = newest and newest["DBSnapshotIdentifier"]
    json.dumps(plan)


if __name__ == "__main__":
    {"snapshot": snapshot, "prune": prune, "alarm": alarm, "deploy": deploy, "drill": drill}[sys.argv[1]](int(sys.argv[2]))
    # the end of the work, as the Java side's first response: interpreter teardown is not counted
    print(time.time_ns() // 1000)
    print(json.dumps(CALLS))
