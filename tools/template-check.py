#!/usr/bin/env python3
"""Least-privilege and hygiene checks over the *transformed* template (SAM expanded to CloudFormation).

cfn-lint does not validate IAM action names on a SAM template; after the transform it does, and
these checks add what cfn-lint has no rule for. Fails (exit 1) on:
  - an IAM action that does not exist (cfn-lint's own action list),
  - a mutating action allowed on Resource "*" (reads on "*" are fine),
  - a function whose log group has no retention,
  - an asynchronously invoked function without an on-failure destination,
  - an SNS topic or SQS queue without encryption,
  - a secret-looking value in a function's environment.
Usage: template-check.py TEMPLATE [--transformed-out FILE]
"""
import json
import os
import re
import subprocess
import sys

import cfnlint
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

READ_ONLY = re.compile(r"^(describe|list|get|batchget|lookup|search|query|head|select|check|validate|verify|decrypt|generatedatakey)", re.I)
ASYNC_SOURCES = {"AWS::SNS::Subscription", "AWS::Events::Rule", "AWS::Scheduler::Schedule"}
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|PRIVATE_KEY)(?!_ARN)", re.I)


class StubPolicies:
    """The managed policies SAM may add, without asking IAM (the check runs offline)."""

    def load(self):
        return {name: f"arn:aws:iam::aws:policy/service-role/{name}" for name in
                ("AWSLambdaBasicExecutionRole", "AWSLambdaVPCAccessExecutionRole")}


def known_actions():
    with open(os.path.join(os.path.dirname(cfnlint.__file__), "data", "AdditionalSpecs", "Policies.json")) as f:
        data = json.load(f)
    return {service: set(spec.get("Actions", {}).keys()) for service, spec in data.items()}


def as_list(value):
    return value if isinstance(value, list) else [value]


def statements(resources):
    for name, r in resources.items():
        props = r.get("Properties", {})
        docs = []
        if r["Type"] == "AWS::IAM::Role":
            docs = [p.get("PolicyDocument", {}) for p in props.get("Policies", [])]
        elif r["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            docs = [props.get("PolicyDocument", {})]
        for doc in docs:
            for st in as_list(doc.get("Statement", [])):
                if isinstance(st, dict) and "Fn::If" in st:  # a conditional statement: check both branches
                    yield from ((name, s) for s in st["Fn::If"][1:] if isinstance(s, dict) and "Effect" in s)
                elif isinstance(st, dict):
                    yield name, st


def check(cfn):
    problems = []
    resources = cfn.get("Resources", {})
    actions = known_actions()
    for name, st in statements(resources):
        if st.get("Effect") != "Allow":
            continue
        acts = as_list(st.get("Action", []))
        res = as_list(st.get("Resource", []))
        for act in acts:
            if not isinstance(act, str) or ":" not in act:
                continue
            service, action = act.split(":", 1)
            pattern = re.compile("^" + re.escape(action.lower()).replace("\\*", ".*") + "$")
            if service not in actions or not any(pattern.match(a) for a in actions[service]):
                problems.append(f"{name}: IAM action {act} does not exist")
            if "*" in res and not READ_ONLY.match(action) and action != "*" or (action == "*" and "*" in res):
                problems.append(f"{name}: mutating action {act} is allowed on Resource '*'")
    functions = {n: r for n, r in resources.items() if r["Type"] == "AWS::Lambda::Function"}
    log_groups = {n: r for n, r in resources.items() if r["Type"] == "AWS::Logs::LogGroup"}
    for name, fn in functions.items():
        props = fn["Properties"]
        group = props.get("LoggingConfig", {}).get("LogGroup")
        ref = group.get("Ref") if isinstance(group, dict) else None
        if ref not in log_groups or "RetentionInDays" not in log_groups[ref]["Properties"]:
            problems.append(f"{name}: its log group has no retention (LoggingConfig.LogGroup -> a LogGroup with RetentionInDays)")
        for var, value in props.get("Environment", {}).get("Variables", {}).items():
            if SECRET_NAME.search(var):
                problems.append(f"{name}: environment variable {var} looks like a secret; use Secrets Manager")
    invoked_async = set()
    for name, r in resources.items():
        text = json.dumps(r.get("Properties", {}))
        if r["Type"] in ASYNC_SOURCES:
            invoked_async.update(f for f in functions if f'"{f}"' in text)
        if r["Type"] == "AWS::Lambda::Permission" and any(p in text for p in ("sns.amazonaws.com", "events.amazonaws.com")):
            invoked_async.update(f for f in functions if f'"{f}"' in text)
    configs = [r for r in resources.values() if r["Type"] == "AWS::Lambda::EventInvokeConfig"]
    for fn in sorted(invoked_async):
        has = any(f'"{fn}"' in json.dumps(c["Properties"].get("FunctionName")) and c["Properties"].get("DestinationConfig", {}).get("OnFailure")
                  for c in configs)
        if not has:
            problems.append(f"{fn}: invoked asynchronously but has no on-failure destination")
    for name, r in resources.items():
        props = r.get("Properties", {})
        if r["Type"] == "AWS::SNS::Topic" and "KmsMasterKeyId" not in props:
            problems.append(f"{name}: SNS topic is not encrypted (KmsMasterKeyId)")
        if r["Type"] == "AWS::SQS::Queue" and "KmsMasterKeyId" not in props and not props.get("SqsManagedSseEnabled"):
            problems.append(f"{name}: SQS queue is not encrypted")
    return problems, len(functions), len(list(statements(resources)))


def main():
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-northeast-2")  # the transform asks for one; nothing is called
    path = sys.argv[1]
    out = sys.argv[sys.argv.index("--transformed-out") + 1] if "--transformed-out" in sys.argv else None
    with open(path) as f:
        sam = yaml_parse(f.read())
    # as after `sam package`: code locations are S3 objects
    sam.get("Globals", {}).get("Function", {})["CodeUri"] = "s3://kfood-ops-artifacts/code.zip"
    for r in sam["Resources"].values():
        if r.get("Type") == "AWS::Serverless::Function" and "CodeUri" in r.get("Properties", {}):
            r["Properties"]["CodeUri"] = "s3://kfood-ops-artifacts/code.zip"
    cfn = transform(sam, {"AWS::Region": "ap-northeast-2", "AWS::AccountId": "123456789012"}, StubPolicies())
    problems, functions, statement_count = check(cfn)
    if out:
        with open(out, "w") as f:
            json.dump(cfn, f, indent=1)
        # cfn-lint on the transformed template: it validates IAM action names there
        lint = subprocess.run(["cfn-lint", "--format", "parseable", out], capture_output=True, text=True)
        problems += [f"cfn-lint (transformed): {line}" for line in lint.stdout.splitlines() if line.strip()]
    for p in problems:
        print(f"template-check: {p}")
    print(f"template-check: {functions} functions, {statement_count} policy statements: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
