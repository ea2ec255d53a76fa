"""HealthCheckFunction on its schedule: the database secret, SELECT 1, a Redis PING, the HTTP checks.
The Java function runs the three checks at once; this script one after another."""
import json
import os
import urllib.error
import urllib.request

from common import client, run
from drivers import psycopg2, redis


def work(i):
    timeout = int(os.environ.get("CHECK_TIMEOUT_MS", "3000")) / 1000
    secret = json.loads(client("secretsmanager").get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])
    with psycopg2.connect(host=secret["host"], port=secret.get("port", 5432), user=secret["username"],
                          password=secret["password"], dbname=secret.get("dbname", "postgres"),
                          sslmode=os.environ.get("DB_SSLMODE", "require"), connect_timeout=max(1, int(timeout))) as c:
        with c.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    c.close()
    host, port = os.environ["REDIS_ENDPOINT"].rsplit(":", 1)
    redis.Redis(host=host, port=int(port), ssl=os.environ.get("REDIS_TLS", "true") == "true",
                socket_timeout=timeout).ping()
    for url in filter(None, os.environ.get("HEALTH_CHECK_URLS", "").split(",")):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                r.read()
        except (urllib.error.URLError, OSError):
            pass  # a failing check is a result, as on the Java side


run(work)
