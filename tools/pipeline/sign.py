#!/usr/bin/env python3
"""Signs each function package of a packaged template (aws cloudformation package --use-json) with
AWS Signer, and pins the signed object's version in the template: the change set then names exactly
the bytes that were signed, and a later write under the same key changes nothing that deploys.

    sign.py PACKAGED.json BUCKET SIGNED_PREFIX SIGNING_PROFILE > SIGNED.json

Only the runner's python3 and AWS CLI (nothing installed in a job that holds credentials)."""
import json
import subprocess
import sys

CODE = {"AWS::Serverless::Function": "CodeUri", "AWS::Lambda::Function": "Code"}


def aws(*args):
    done = subprocess.run(["aws", *args, "--output", "json"], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"sign.py: aws {' '.join(args[:2])} failed: {done.stderr.strip()[:300]}")
    return json.loads(done.stdout or "{}")


def location(name, kind, value):
    """The package's bucket and key, from s3://bucket/key or Code's S3Bucket and S3Key."""
    if kind == "AWS::Serverless::Function" and isinstance(value, str) and value.startswith("s3://"):
        bucket, _, key = value[5:].partition("/")
        return bucket, key
    if kind == "AWS::Lambda::Function" and isinstance(value, dict) and "S3Bucket" in value and "S3Key" in value:
        return value["S3Bucket"], value["S3Key"]
    sys.exit(f"sign.py: {name}: its code is not an uploaded package ({value!r}): package it first")


def sign(bucket, key, destination, prefix, profile):
    version = aws("s3api", "head-object", "--bucket", bucket, "--key", key)["VersionId"]
    source = {"s3": {"bucketName": bucket, "key": key, "version": version}}
    job = aws("signer", "start-signing-job", "--profile-name", profile, "--source", json.dumps(source),
              "--destination", json.dumps({"s3": {"bucketName": destination, "prefix": prefix}}))["jobId"]
    aws("signer", "wait", "successful-signing-job", "--job-id", job)
    signed = aws("signer", "describe-signing-job", "--job-id", job)["signedObject"]["s3"]["key"]
    return signed, aws("s3api", "head-object", "--bucket", destination, "--key", signed)["VersionId"]


def main(path, bucket, prefix, profile):
    with open(path, encoding="utf-8") as f:
        template = json.load(f)
    signed = {}
    for name, res in template.get("Resources", {}).items():
        field = CODE.get(res.get("Type"))
        if not field:
            continue
        source = location(name, res["Type"], res["Properties"].get(field))
        if source not in signed:  # functions built from the same package share one signature
            signed[source] = sign(*source, bucket, prefix, profile)
        key, version = signed[source]
        res["Properties"][field] = ({"Bucket": bucket, "Key": key, "Version": version}
                                    if field == "CodeUri" else {"S3Bucket": bucket, "S3Key": key, "S3ObjectVersion": version})
    print(f"sign.py: {len(signed)} package(s) signed with {profile}, versions pinned", file=sys.stderr)
    json.dump(template, sys.stdout, indent=1)


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: sign.py PACKAGED.json BUCKET SIGNED_PREFIX SIGNING_PROFILE > SIGNED.json")
    main(*sys.argv[1:])
