"""patch_tag_log: a request carrying the check's id is logged with the tags that changed since the
request before it, a resource that is gone as null."""
import json
import tempfile
import unittest
from pathlib import Path

from emulator_server import ACCOUNT, REGION, Server, database


class TagLogTest(unittest.TestCase):
    def test_each_captured_request_carries_the_tags_it_found(self):
        log = Path(tempfile.mkdtemp()) / "tags.jsonl"
        server = Server(KFOOD_IAM_TAGS_LOG=str(log), KFOOD_IAM_TAGS_REGIONS=REGION)
        try:
            rds = server.client("rds")
            database(rds, "tagged-db", Team="video")
            capture = {"id": "first"}
            rds.meta.events.register("before-sign.rds", lambda request, **kw: request.headers.__setitem__(
                "X-Kfood-Ops-Capture", capture["id"]))
            rds.describe_db_instances(DBInstanceIdentifier="tagged-db")
            capture["id"] = "second"
            rds.describe_db_instances(DBInstanceIdentifier="tagged-db")  # nothing changed
            capture["id"] = "third"
            rds.delete_db_instance(DBInstanceIdentifier="tagged-db", SkipFinalSnapshot=True)
            rds.describe_db_instances()

            lines = [json.loads(line) for line in log.read_text().splitlines()]
            arn = f"arn:aws:rds:{REGION}:{ACCOUNT}:db:tagged-db"
            self.assertEqual(["first", "second", "third", "third"], [line["id"] for line in lines])
            self.assertEqual({"Team": "video"}, lines[0]["tags"][arn])  # moto's automated snapshot is there too
            self.assertEqual({}, lines[1]["tags"])
            self.assertNotIn(arn, lines[2]["tags"])  # logged before the deletion ran
            self.assertIsNone(lines[3]["tags"][arn])
        finally:
            server.stop()

    def test_without_the_log_nothing_is_written(self):
        server = Server()
        try:
            rds = server.client("rds")
            rds.meta.events.register("before-sign.rds", lambda request, **kw: request.headers.__setitem__(
                "X-Kfood-Ops-Capture", "ignored"))
            self.assertEqual([], rds.describe_db_instances()["DBInstances"])
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
