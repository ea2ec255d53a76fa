"""patch_clock: RDS stamps snapshots with the clock the offset file moves."""
import datetime
import tempfile
import unittest
from pathlib import Path

from emulator_server import Server, database


class ClockTest(unittest.TestCase):
    def test_a_snapshot_is_stamped_with_the_moved_clock(self):
        offset = Path(tempfile.mkdtemp()) / "clock"
        offset.write_text("0")
        server = Server(KFOOD_MOTO_CLOCK_FILE=str(offset))
        try:
            rds = server.client("rds")
            database(rds, "clock-db")
            now = datetime.datetime.now(datetime.timezone.utc)
            rds.create_db_snapshot(DBInstanceIdentifier="clock-db", DBSnapshotIdentifier="today")
            offset.write_text(str(-3 * 86400))
            rds.create_db_snapshot(DBInstanceIdentifier="clock-db", DBSnapshotIdentifier="three-days-ago")
            offset.write_text("not a number")  # unreadable: no offset, never a crash
            rds.create_db_snapshot(DBInstanceIdentifier="clock-db", DBSnapshotIdentifier="unshifted")

            def created(name):
                return rds.describe_db_snapshots(DBSnapshotIdentifier=name)["DBSnapshots"][0]["SnapshotCreateTime"]

            self.assertLess(abs((created("today") - now).total_seconds()), 60)
            self.assertLess(abs((created("three-days-ago") - now + datetime.timedelta(days=3)).total_seconds()), 60)
            self.assertLess(abs((created("unshifted") - now).total_seconds()), 60)
        finally:
            server.stop()

    def test_an_ecs_deployment_is_stamped_with_the_moved_clock(self):
        offset = Path(tempfile.mkdtemp()) / "clock"
        offset.write_text("0")
        server = Server(KFOOD_MOTO_CLOCK_FILE=str(offset))
        try:
            ecs = server.client("ecs")
            ecs.create_cluster(clusterName="c")
            ecs.register_task_definition(family="t", containerDefinitions=[{"name": "t", "image": "t:1", "memory": 512}])
            ecs.create_service(cluster="c", serviceName="s", taskDefinition="t", desiredCount=1)
            now = datetime.datetime.now(datetime.timezone.utc)
            offset.write_text(str(-15 * 60))
            ecs.update_service(cluster="c", service="s", forceNewDeployment=True)
            offset.write_text("0")
            started = ecs.describe_services(cluster="c", services=["s"])["services"][0]["deployments"][0]["createdAt"]
            self.assertLess(abs((started - now + datetime.timedelta(minutes=15)).total_seconds()), 60)
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
