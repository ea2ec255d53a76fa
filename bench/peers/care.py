"""DatabaseCareFunction on its schedule, with its partitions already created: the care role's secret,
the partition catalogue of each configured table, the read-only health statements, yesterday's size
from CloudWatch, one notification. The statements are the Java function's (HealthQueries.java,
Catalog.java), one each, in the same order."""
import datetime
import json
import os

from common import client, notify, run
from drivers import psycopg2

PARTMAN = """SELECT coalesce((SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                    WHERE e.extname = 'pg_partman'),
                   CASE WHEN to_regclass('partman.part_config') IS NOT NULL THEN 'partman' END)"""
PARENT = """SELECT quote_ident(pg_get_userbyid(c.relowner)), p.partstrat::text, p.partnatts, format_type(a.atttypid, a.atttypmod)
   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   LEFT JOIN pg_partitioned_table p ON p.partrelid = c.oid
   LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
   WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p')"""
PARTITIONS = """SELECT c.relname,
          (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']*)''\\)'))[1]::timestamptz,
          (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']*)''\\)'))[1]::timestamptz
   FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass"""
HEALTH = [
    ("""SELECT n.nspname || '.' || c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid ORDER BY 1""", ()),
    ("""SELECT s.schemaname || '.' || s.relname, s.n_live_tup, s.n_dead_tup,
          coalesce((SELECT option_value::float8 FROM pg_options_to_table(c.reloptions) WHERE option_name = 'autovacuum_vacuum_scale_factor'),
                   current_setting('autovacuum_vacuum_scale_factor')::float8),
          coalesce((SELECT option_value::bigint FROM pg_options_to_table(c.reloptions) WHERE option_name = 'autovacuum_vacuum_threshold'),
                   current_setting('autovacuum_vacuum_threshold')::bigint),
          extract(epoch FROM now() - greatest(s.last_vacuum, s.last_autovacuum))::bigint,
          extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze))::bigint
        FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid ORDER BY 1""", ()),
    ("""SELECT age(datfrozenxid), current_setting('autovacuum_freeze_max_age')::bigint
        FROM pg_database WHERE datname = current_database()""", ()),
    ("""SELECT count(*) FILTER (WHERE state NOT LIKE 'idle%%' AND xact_start < now() - make_interval(secs => %s)),
          count(*) FILTER (WHERE state LIKE 'idle in transaction%%' AND state_change < now() - make_interval(secs => %s)),
          coalesce(extract(epoch FROM now() - min(xact_start)), 0)::bigint
        FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'""",
     (int(os.environ.get("LONG_TRANSACTION_SECONDS", "300")),) * 2),
    ("""SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
          current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int""", ()),
    ("SELECT pg_database_size(current_database())", ()),
]


def work(i):
    secret = json.loads(client("secretsmanager").get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])
    c = psycopg2.connect(host=secret["host"], port=secret.get("port", 5432), user=secret["username"],
                         password=secret["password"], dbname=secret.get("dbname", "postgres"),
                         sslmode=os.environ.get("DB_SSLMODE", "require"), application_name="kfood-ops-database-care")
    c.autocommit = True
    found = []
    with c.cursor() as cur:
        cur.execute("SELECT set_config('TimeZone', %s, false)", (os.environ.get("PARTITION_TIME_ZONE", "UTC"),))
        cur.execute(PARTMAN)
        for spec in filter(None, os.environ.get("PARTITIONED_TABLES", "").split(",")):
            table = spec.split(":")[0]
            schema, name = table.split(".") if "." in table else ("public", table)
            cur.execute(PARENT, (schema, name))
            cur.execute(PARTITIONS, (f"{schema}.{name}",))
            found += cur.fetchall()
        for sql, params in HEALTH:
            cur.execute(sql, params)
            found += cur.fetchall()
    c.close()
    now = datetime.datetime.now(datetime.timezone.utc)
    client("cloudwatch").get_metric_data(
        StartTime=now - datetime.timedelta(hours=27), EndTime=now - datetime.timedelta(hours=21),
        MetricDataQueries=[{"Id": "size", "ReturnData": True, "MetricStat": {
            "Period": 21600, "Stat": "Maximum", "Metric": {
                "Namespace": os.environ.get("METRICS_NAMESPACE", "KfoodOps"), "MetricName": "DatabaseSizeBytes",
                "Dimensions": [{"Name": "Service", "Value": "DatabaseCareFunction"}]}}}])
    notify(client("sns"), f"Database care: 0 partition(s) created, {len(found)} rows read", "care")


run(work)
