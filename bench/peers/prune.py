"""PruneFunction as a dry run: the databases, the snapshot quota, their manual snapshots (paged), one
notification. The Java function describes the databases and reads the quota beside the snapshots;
this script one after the other."""
import os

from common import client, notify, run


def work(i):
    rds, sns = client("rds"), client("sns")
    dbs = os.environ["DB_INSTANCE_IDS"].split(",")
    rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": dbs}])
    rds.describe_account_attributes()
    snapshots = [s for page in rds.get_paginator("describe_db_snapshots").paginate(
        Filters=[{"Name": "db-instance-id", "Values": dbs}, {"Name": "snapshot-type", "Values": ["manual"]}])
        for s in page["DBSnapshots"]]
    notify(sns, f"Dry run: prune would delete 0 of {len(snapshots)}", "dry run")


run(work)
