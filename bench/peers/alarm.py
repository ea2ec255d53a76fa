"""AlarmRemediationFunction on the backend 5xx alarm, as the Java function: the alarm confirmed with
CloudWatch (one of the stack's, in ALARM now), the alarm's episode in the
incident log (its latest record read, a new one only when none is open; the alarm's entry written), the
service and its remediation tags, the newest ERROR lines of its log group (from the task definition)
in the 10 minutes before the alarm, the remediation tag, a new deployment linked to the episode, the
action's entry, one notification. Its own incident keys (incidents-py/), so that neither side's episode
is the other's."""
import hashlib
import json
import os
import uuid
from datetime import datetime, timedelta

from botocore.exceptions import ClientError

from common import client, notify, run

ALARM = "kfood-ops-backend-5xx"


def key(kind, text):
    return f"incidents-py/{kind}/{hashlib.sha256(text.encode()).hexdigest()[:20]}.json"


def put(s3, k, value):
    s3.put_object(Bucket=os.environ["STATE_BUCKET"], Key=k, Body=json.dumps(value).encode(), ContentType="application/json")


def work(i):
    ecs, logs, s3, sns = client("ecs"), client("logs"), client("s3"), client("sns")
    at = datetime.fromisoformat(f"2026-11-26T03:{i % 60:02d}:41.087+00:00")  # the benchmark's event of this run
    found = client("cloudwatch").describe_alarms(AlarmNames=[ALARM], AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    if not any(a["StateValue"] == "ALARM" for a in found["MetricAlarms"] + found["CompositeAlarms"]):
        raise SystemExit(f"{ALARM} not confirmed by CloudWatch")
    try:
        latest = json.loads(s3.get_object(Bucket=os.environ["STATE_BUCKET"], Key=key("alarms", ALARM))["Body"].read())
    except ClientError:
        latest = None
    if latest is None or latest.get("closed") and at.isoformat() > latest["closed"]:
        latest = {"id": f"INC-{at:%Y%m%d-%H%M}-{uuid.uuid4().hex[:6]}", "alarm": ALARM, "start": at.isoformat()}
        put(s3, key("alarms", ALARM), latest)
    incident = latest["id"]
    put(s3, f"incidents-py/{incident}/{int(at.timestamp() * 1000):013d}-alarm.json", {"at": at.isoformat(), "kind": "alarm"})
    cluster, service = os.environ.get("ECS_CLUSTER", "kfood-cluster"), os.environ.get("BACKEND_SERVICE", "kfood-backend")
    svc = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
    tags = ecs.list_tags_for_resource(resourceArn=svc["serviceArn"])["tags"]
    containers = ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])["taskDefinition"]["containerDefinitions"]
    group = next((c["logConfiguration"]["options"]["awslogs-group"] for c in containers
                  if c.get("essential", True) and c.get("logConfiguration", {}).get("logDriver") == "awslogs"), None)
    lines = []
    if group:
        args = {"logGroupName": group, "filterPattern": "ERROR", "endTime": int(at.timestamp() * 1000),
                "startTime": int((at - timedelta(minutes=10)).timestamp() * 1000)}
        for _ in range(5):
            page = logs.filter_log_events(**args)
            lines = (lines + [e["message"][:200] for e in page["events"]])[-5:]
            if "nextToken" not in page:
                break
            args["nextToken"] = page["nextToken"]
    history = next((t["value"] for t in tags if t["key"] == "kfood-ops:remediations"), "")
    ecs.tag_resource(resourceArn=svc["serviceArn"],
                     tags=[{"key": "kfood-ops:remediations", "value": (history + f" {i}:py").strip()[-250:]}])
    updated = ecs.update_service(cluster=cluster, service=service, forceNewDeployment=True)["service"]
    deployment = next((d["id"] for d in updated["deployments"] if d["status"] == "PRIMARY"), None)
    if deployment:
        put(s3, key("deployments", deployment), latest)
    put(s3, f"incidents-py/{incident}/{int(at.timestamp() * 1000) + 1:013d}-action.json",
        {"kind": "action", "text": f"new deployment {deployment} started"})
    notify(sns, f"{ALARM}: ecs-force-new-deployment done", "\n".join(lines) or "no ERROR line")


run(work)
