"""DeployNotifierFunction on a completed ECS deployment: the service, its task definition, the deduplication marker, one notification."""
import os

from common import client, notify, run


def work(i):
    ecs, s3, sns = client("ecs"), client("s3"), client("sns")
    svc = ecs.describe_services(cluster="kfood-cluster", services=["kfood-backend"])["services"][0]
    ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])
    s3.put_object(Bucket=os.environ["STATE_BUCKET"], Key=f"dedup/py/{i}/{os.getpid()}", Body=b"", IfNoneMatch="*")
    notify(sns, "kfood-backend deployed", "deployed")


run(work)
