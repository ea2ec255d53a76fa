"""What every peer shares: boto3 clients, the notification, and the run: the function's work,
then the instant the work ended and the AWS calls it made, as the benchmark reads them.

Each peer in this folder makes the calls its Java function makes on its first invocation of the
benchmark's event (the benchmark compares both sides' calls on every row; docs/benchmarks.md
lists them). Configuration comes from the environment, as for the Java functions.
Usage: python3 bench/peers/<function>.py <run-index>
"""
import json
import os
import sys
import time

import boto3

REGION = os.environ.get("AWS_REGION", "ap-northeast-2")
CALLS = []


def record_call(model, **_):
    """Each API call as service:Operation, as the benchmark compares it with the Java side's."""
    CALLS.append("".join(c for c in model.service_model.service_id.lower() if c.isalnum()) + ":" + model.name)


boto3.setup_default_session()
boto3.DEFAULT_SESSION.events.register("before-call", record_call)


def client(name):
    return boto3.client(name, region_name=REGION)


def notify(sns, subject, text):
    sns.publish(TopicArn=os.environ["NOTIFY_TOPIC_ARN"], Subject=subject[:100], MessageStructure="json",
                Message=json.dumps({"default": json.dumps({"version": "1.0", "source": "custom",
                                                           "content": {"title": subject, "description": text}}),
                                    "email": text}))


def run(work):
    work(int(sys.argv[1]))
    # the end of the work, as the Java side's first response: interpreter teardown is not counted here
    # (the user's-command table counts it: spawn to exit)
    print(time.time_ns() // 1000)
    print(json.dumps(CALLS))
