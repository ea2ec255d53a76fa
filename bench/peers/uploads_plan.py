"""The plan's daily uploads backup in boto3: every object of the source copied into the day's prefix.
Usage: python3 bench/peers/uploads_plan.py SOURCE_BUCKET TARGET_BUCKET DAY (AWS_* from the environment)"""
import os
import sys

import boto3

source, target, day = sys.argv[1], sys.argv[2], sys.argv[3]
s3 = boto3.client("s3", region_name=os.environ.get("AWS_REGION", "ap-northeast-2"))
copied = 0
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=source):
    for o in page.get("Contents", []):
        s3.copy_object(Bucket=target, Key=f"uploads/{day}/" + o["Key"], CopySource={"Bucket": source, "Key": o["Key"]})
        copied += 1
print(copied)
