"""DeployNotifierFunction on a completed ECS deployment, as the Java function: the deduplication marker
claimed (a conditional write holding a token), the service and its task definition, the incident that
started the deployment if any (its link read), one notification."""
import os
import uuid

from botocore.exceptions import ClientError

from common import client, notify, run


def work(i):
    ecs, s3, sns = client("ecs"), client("s3"), client("sns")
    bucket = os.environ["STATE_BUCKET"]
    s3.put_object(Bucket=bucket, Key=f"dedup/py/{i}/{os.getpid()}", Body=uuid.uuid4().hex.encode(), IfNoneMatch="*")
    svc = ecs.describe_services(cluster="kfood-cluster", services=["kfood-backend"])["services"][0]
    ecs.describe_task_definition(taskDefinition=svc["taskDefinition"])
    try:
        s3.get_object(Bucket=bucket, Key=f"incidents-py/deployments/{uuid.uuid4().hex[:20]}.json")
    except ClientError:
        pass  # no incident started this deployment
    notify(sns, "kfood-backend deployed", "deployed")


run(work)
