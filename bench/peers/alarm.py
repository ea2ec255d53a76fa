"""AlarmRemediationFunction on the backend 5xx alarm: the service, its remediation tags, a new deployment, one notification."""
import os

from common import client, notify, run


def work(i):
    ecs, sns = client("ecs"), client("sns")
    cluster, service = os.environ.get("ECS_CLUSTER", "kfood-cluster"), os.environ.get("BACKEND_SERVICE", "kfood-backend")
    svc = ecs.describe_services(cluster=cluster, services=[service])["services"][0]
    ecs.list_tags_for_resource(resourceArn=svc["serviceArn"])
    ecs.tag_resource(resourceArn=svc["serviceArn"], tags=[{"key": "kfood-ops:remediations", "value": f"{i}:py"}])
    ecs.update_service(cluster=cluster, service=service, forceNewDeployment=True)
    notify(sns, "kfood-ops-backend-5xx: ecs-force-new-deployment done", "done")


run(work)
