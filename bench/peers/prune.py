"""PruneFunction as a dry run: the databases, the snapshot quota, their manual snapshots (paged), the
copies in the DR region when one is set (paged), one notification. The Java function describes the
databases, reads the quota and lists the DR region's copies beside the snapshots; this script one
after the other."""
import os

import boto3
from common import client, notify, run


def manual_snapshots(rds, dbs):
    return [s for page in rds.get_paginator("describe_db_snapshots").paginate(
        Filters=[{"Name": "db-instance-id", "Values": dbs}, {"Name": "snapshot-type", "Values": ["manual"]}])
        for s in page["DBSnapshots"]]


def work(i):
    rds, sns = client("rds"), client("sns")
    dbs = os.environ["DB_INSTANCE_IDS"].split(",")
    rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": dbs}])
    rds.describe_account_attributes()
    snapshots = manual_snapshots(rds, dbs)
    if os.environ.get("DR_REGION"):
        manual_snapshots(boto3.client("rds", region_name=os.environ["DR_REGION"]), dbs)
    notify(sns, f"Dry run: prune would delete 0 of {len(snapshots)}", "dry run")


run(work)
