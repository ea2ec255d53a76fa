"""The real wrapper, started as ./ops starts it, on a free port: each patch's test runs against it."""
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

import boto3

WRAPPER_DIR = Path(__file__).resolve().parents[2] / "main" / "resources" / "kfood-ops" / "emulator"
REGION = "ap-northeast-2"
ACCOUNT = "123456789012"


class Server:
    def __init__(self, **env):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.dir = tempfile.mkdtemp(prefix="kfood-emulator-test-")
        self.log_path = Path(self.dir) / "moto.log"
        full_env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", **env)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, str(WRAPPER_DIR / "moto_wrapper.py"), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log, stderr=subprocess.STDOUT, env=full_env)
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/data.json", timeout=1).read()
                return
            except OSError:
                if self.process.poll() is not None or time.time() > deadline:
                    self.stop()
                    raise RuntimeError("the wrapper did not start: " + self.log())
                time.sleep(0.1)

    def client(self, service, key="test", secret="test", region=REGION):
        return boto3.client(service, endpoint_url=self.endpoint, region_name=region,
                            aws_access_key_id=key, aws_secret_access_key=secret)

    def enforce_iam(self):
        """From now on every request is authorised against its caller's IAM policies."""
        request = urllib.request.Request(self.endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
                                         headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request, timeout=5).read()

    def log(self):
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def database(rds, name, **tags):
    rds.create_db_instance(DBInstanceIdentifier=name, Engine="postgres", DBInstanceClass="db.t4g.micro",
                           AllocatedStorage=20, MasterUsername="ops", MasterUserPassword="not-a-secret-1",
                           Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


class OnServer(unittest.TestCase):
    """A test class with one wrapper server for all its tests, started with SERVER_ENV."""
    SERVER_ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.server = Server(**cls.SERVER_ENV)
        cls.addClassCleanup(cls.server.stop)  # runs even when a subclass's own setup fails after this
