"""RestoreDrillFunction's start step as a dry run: each database's newest snapshot of this stack, nothing restored."""
import json
import os

from common import client, run


def work(i):
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


run(work)
