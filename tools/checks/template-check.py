#!/usr/bin/env python3
"""Least-privilege and hygiene checks over the *transformed* template (SAM expanded to CloudFormation).

cfn-lint does not validate IAM action names on a SAM template; after the transform it does, and
these checks add what cfn-lint has no rule for. Fails (exit 1) on:
  - an IAM action that does not exist (cfn-lint's own action list),
  - a mutating action allowed on Resource "*" (reads on "*" are fine),
  - a function whose log group has no retention,
  - an asynchronously invoked function without an on-failure destination,
  - an SNS topic or SQS queue without encryption,
  - a secret-looking value in a function's environment,
and, for kfood-ops' own template (the security review's points, issue 14), on any of:
  - snapshots tagged unless already ours or the request sets exactly our tag keys; a snapshot
    prefix without the environment; CreateDBSnapshot beyond the configured databases,
  - deletes of snapshots that are not ours (in either region), copies of any but ours, KMS grants
    on the DR key not bound to RDS in the DR region, S3 Replication writing or encrypting beyond the
    DR bucket and key, or replicating deletes (issue 17),
  - ecs:UpdateService beyond the two services, without the task-definition family condition or
    able to switch ECS Exec on; a reboot beyond the primary database; Application Auto Scaling
    writes beyond a minimum and its scheduled restore on ECS desired-count targets (issue 18),
  - state-bucket writes of the remediation and the deploy notifier outside their prefixes,
  - secret ARNs wider than the 6-character suffix (an RDS-managed drill secret only by its
    instance tag); VPC network-interface rights outside HasVpc,
  - a restore drill that may restore from snapshots not ours, into instances not named and tagged
    as its drills, or delete or tag an instance that is not named as a drill's and tagged ours,
  - a role without the permissions boundary, a managed policy not on the short list,
  - a backup bucket without KMS, versioning, governance Object Lock, access logs, noncurrent expiry,
  - a log group without the stack's key; prod deployable without a human on the alarms topic,
  - no delivery-status logging or delivery-failure alarms on the topics,
  - a schedule not named with the stack or without a dead-letter queue, an ECS or CodeDeploy rule
    not filtered to the platform's cluster or application,
  - a taggable resource without the Environment and Service tags,
  - a function whose ApplicationLogLevel is above INFO (its EMF lines carry no level and would be dropped),
  - an operations report that may change anything but its own reports (issue 20): every action it is
    allowed is a read, except writing reports/ in the reports bucket, publishing to the notifications
    topic, dead-lettering to the failed-events queue and starting Insights queries on the platform's logs.
Statements inside Fn::If are checked in both branches.
  - a service's role without aws:SourceAccount in its trust, a topic anyone of the account may publish
    to or subscribe to by any protocol, a report link living longer than an hour (issue 31),
  - prod deployable with DbSslMode other than verify-full, a deployed stage without its scalable
    targets named (issues 30 and 31),
  - a permissions boundary (bootstrap/pipeline.yaml beside the template, or --bootstrap FILE) that
    does not allow every action the stack's roles allow, or allows one none of them asks for.
Usage: template-check.py TEMPLATE... [--transformed-out FILE] [--bootstrap FILE]  (one report per template)
"""
import json
import os
import re
import subprocess
import sys

import cfnlint
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

OUR_TAG_KEYS = {"ManagedBy", "kfood-ops:CreatedBy", "kfood-ops:RetentionDays", "kfood-ops:ScheduledFor"}
MANAGED_POLICIES = {"AWSLambdaBasicExecutionRole", "AWSXrayWriteOnlyAccess", "AWSLambdaVPCAccessExecutionRole"}
TAGGABLE = {"AWS::Lambda::Function", "AWS::IAM::Role", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::S3::Bucket",
            "AWS::KMS::Key", "AWS::Logs::LogGroup", "AWS::CloudWatch::Alarm", "AWS::Chatbot::SlackChannelConfiguration"}
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
            yield from ((name, st) for st in doc_statements(doc))


def doc_statements(doc):
    """A policy document's statements; a conditional one (Fn::If) in both its branches."""
    for st in as_list(doc.get("Statement", [])):
        if isinstance(st, dict) and "Fn::If" in st:
            yield from (s for s in st["Fn::If"][1:] if isinstance(s, dict) and "Effect" in s)
        elif isinstance(st, dict):
            yield st


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


def render(value):
    """An intrinsic as text, the way a reviewer reads it: ${Param}, ${Param[0]}, ${Res.Attr}."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Ref":
            return "${%s}" % arg
        if fn == "Fn::GetAtt":
            return "${%s}" % ".".join(arg)
        if fn == "Fn::Sub":
            if isinstance(arg, str):
                return arg
            text, local = arg
            for k, v in local.items():
                text = text.replace("${%s}" % k, render(v))
            return text
        if fn == "Fn::Select" and isinstance(arg[1], dict) and "Fn::Split" in arg[1]:
            return "%s[%s]" % (render(arg[1]["Fn::Split"][1]).rstrip("}"), arg[0]) + "}"
    return json.dumps(value, sort_keys=True)


def alternatives(value):
    """Every string a value can take: both branches of Fn::If, each list item, AWS::NoValue dropped."""
    if isinstance(value, list):
        return [a for v in value for a in alternatives(v)]
    if isinstance(value, dict) and "Fn::If" in value:
        return [a for v in value["Fn::If"][1:] for a in alternatives(v)]
    if value == {"Ref": "AWS::NoValue"}:
        return []
    return [render(value)]


def role_statements(resources, role):
    return [st for name, st in statements({role: resources[role]})] if role in resources else []


def allows(st, action):
    return st.get("Effect") == "Allow" and any(a == action or (a.endswith("*") and action.startswith(a[:-1]))
                                             for a in as_list(st.get("Action", [])))


AAS_HOLD = ("application-autoscaling:RegisterScalableTarget", "application-autoscaling:PutScheduledAction",
            "application-autoscaling:DeleteScheduledAction")
AAS_NEVER = ("application-autoscaling:DeregisterScalableTarget", "application-autoscaling:PutScalingPolicy",
             "application-autoscaling:DeleteScalingPolicy")
# the operations report's only writes, each on exactly this resource
REPORT_WRITES = {
    "s3:PutObject": "${ReportsBucket.Arn}/reports/*",
    # only the "sent" marker, given back when a report's notification failed to publish
    "s3:DeleteObject": "${ReportsBucket.Arn}/reports/*.sent",
    "sns:Publish": "${NotificationsTopic}",
    "sqs:SendMessage": "${FailedEventsQueue.Arn}",
    "logs:StartQuery": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${PlatformLogGroupPrefix}/*",
}
# where each function may write in the state bucket
STATE_WRITES = {
    "AlarmRemediationFunctionRole": ("incidents/*",),
    "DeployNotifierFunctionRole": ("dedup/*", "ratelimit/*", "incidents/INC-*"),
}


def service_trusts(resources):
    """A role a service assumes (other than Lambda's execution roles) does so only for this account."""
    problems = []
    for name, res in resources.items():
        if res.get("Type") != "AWS::IAM::Role":
            continue
        for st in res["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            services = as_list((st.get("Principal") or {}).get("Service", []))
            if services and "lambda.amazonaws.com" not in services and \
                    st.get("Condition", {}).get("StringEquals", {}).get("aws:SourceAccount") != {"Ref": "AWS::AccountId"}:
                problems.append(f"{name}: {', '.join(services)} may assume it for any account (no aws:SourceAccount)")
    return problems


def topic_policies(resources):
    """Both topics: only CloudWatch and the stack's roles publish, subscriptions only by the stack's protocols."""
    problems = []
    covered = {}
    for res in resources.values():
        if res.get("Type") == "AWS::SNS::TopicPolicy":
            for topic in as_list(res["Properties"].get("Topics", [])):
                covered.setdefault(render(topic), []).extend(as_list(res["Properties"]["PolicyDocument"]["Statement"]))
    for topic in ("AlarmsTopic", "NotificationsTopic"):
        statements = covered.get("${" + topic + "}", [])
        publish = any(st.get("Effect") == "Deny" and "sns:Publish" in as_list(st.get("Action"))
                      and "aws:PrincipalArn" in st.get("Condition", {}).get("ArnNotLike", {}) for st in statements)
        subscribe = any(st.get("Effect") == "Deny" and "sns:Subscribe" in as_list(st.get("Action"))
                        and "sns:Protocol" in st.get("Condition", {}).get("StringNotEquals", {}) for st in statements)
        if not publish:
            problems.append(f"{topic}: anyone the account allows may publish (no Deny for other principals in its policy)")
        if not subscribe:
            problems.append(f"{topic}: subscriptions by any protocol (no Deny on sns:Protocol in its policy)")
    return problems


def backup_guards(resources):
    """The backups' key is their own and outlives the stack; nobody but break-glass bypasses the lock."""
    problems = []
    key = resources.get("BackupKey", {})
    if not key:
        return ["BackupKey: the backup bucket has no key of its own"]
    if key.get("DeletionPolicy") != "Retain" or key.get("UpdateReplacePolicy") != "Retain":
        problems.append("BackupKey: not kept (DeletionPolicy and UpdateReplacePolicy Retain) when the stack goes")
    if not any(st.get("Effect") == "Deny" and {"kms:ScheduleKeyDeletion", "kms:DisableKey"} <= set(as_list(st.get("Action")))
               for st in doc_statements(key["Properties"]["KeyPolicy"])):
        problems.append("BackupKey: anyone the account allows may disable it or schedule its deletion")
    for name, res in resources.items():
        props = json.dumps(res.get("Properties", {}))
        if name != "BackupBucket" and res.get("Type") in ("AWS::Logs::LogGroup", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::S3::Bucket") \
                and '"BackupKey"' in props:
            problems.append(f"{name}: encrypted with BackupKey, which is the backups' own")
    policy = resources.get("BackupBucketPolicy", {})
    if policy.get("DeletionPolicy") != "Retain":
        problems.append("BackupBucketPolicy: not kept with the bucket (DeletionPolicy Retain)")
    denied = set()
    for st in doc_statements(policy.get("Properties", {}).get("PolicyDocument", {})):
        if st.get("Effect") == "Deny" and st.get("Principal") == "*":
            denied |= set(as_list(st.get("Action")))
    for action in ("s3:BypassGovernanceRetention", "s3:DeleteBucketPolicy", "s3:PutBucketObjectLockConfiguration",
                   "s3:PutLifecycleConfiguration", "s3:PutBucketPolicy"):
        if action not in denied:
            problems.append(f"BackupBucketPolicy: {action} not denied to all but the break-glass role")
    return problems


def report_readers(resources):
    """A report link opens only from the named networks, when the parameters name them."""
    for st in doc_statements(resources.get("ReportsBucketPolicy", {}).get("Properties", {}).get("PolicyDocument", {})):
        condition = json.dumps(st.get("Condition", {}))
        if st.get("Effect") == "Deny" and "s3:GetObject" in as_list(st.get("Action")) \
                and '"aws:SourceIp": {"Ref": "ReportReaderCidrs"}' in condition \
                and '"aws:SourceVpce": {"Ref": "ReportReaderVpceIds"}' in condition:
            return []
    return ["ReportsBucketPolicy: report links open from anywhere even when ReportReaderCidrs or ReportReaderVpceIds name networks"]


def code_signing(cfn, resources):
    """Outside dev every function runs only signed code: a config that enforces, on each function."""
    problems = []
    config = resources.get("CodeSigningConfig", {}).get("Properties", {})
    if config.get("CodeSigningPolicies", {}).get("UntrustedArtifactOnDeployment") != "Enforce":
        problems.append("CodeSigningConfig: unsigned code is not refused (UntrustedArtifactOnDeployment Enforce)")
    for name, res in resources.items():
        if res.get("Type") == "AWS::Lambda::Function" and \
                res["Properties"].get("CodeSigningConfigArn") != {"Fn::If": ["SignsCode", {"Ref": "CodeSigningConfig"}, {"Ref": "AWS::NoValue"}]}:
            problems.append(f"{name}: runs unsigned code (no CodeSigningConfigArn)")
    rules = json.dumps(cfn.get("Rules", {}))
    if '{"Ref": "SigningProfileVersionArn"}, ""' not in rules:
        problems.append("Rules: staging and prod may deploy without a signing profile (SigningProfileVersionArn)")
    return problems


def tag_keys(value):
    """The literal keys of an aws:TagKeys list, both branches of an Fn::If; a list split from a Sub
    counts its literal keys, its parameter (the opt-in copied keys) being the operator's choice."""
    if isinstance(value, dict) and "Fn::If" in value:
        return set().union(*(tag_keys(v) for v in value["Fn::If"][1:]))
    if isinstance(value, dict) and "Fn::Split" in value:
        text = value["Fn::Split"][1]
        text = text.get("Fn::Sub", "") if isinstance(text, dict) else text
        return {k for k in str(text).split(value["Fn::Split"][0]) if k and "${" not in k}
    return set(as_list(value))


def contract(cfn):
    """The security review's points on kfood-ops' own roles and resources (issue 14)."""
    r = cfn.get("Resources", {})
    if "SnapshotFunctionRole" not in r:
        return []
    problems = []
    prefix = "snapshot:${SnapshotPrefix}-${Environment}-*"
    for fn in ("SnapshotFunction", "PruneFunction"):
        env = r[fn]["Properties"].get("Environment", {}).get("Variables", {})
        if "${Environment}" not in render(env.get("SNAPSHOT_PREFIX", "")):
            problems.append(f"{fn}: SNAPSHOT_PREFIX must include the environment (two stages in one account would share snapshots)")
    for st in role_statements(r, "SnapshotFunctionRole"):
        cond = st.get("Condition", {})
        if allows(st, "rds:AddTagsToResource"):
            ours = cond.get("StringEquals", {}).get("rds:snapshot-tag/ManagedBy") == {"Ref": "AWS::StackName"}
            creating = cond.get("StringEquals", {}).get("aws:RequestTag/ManagedBy") == {"Ref": "AWS::StackName"}
            keys = tag_keys(cond.get("ForAllValues:StringEquals", {}).get("aws:TagKeys", []))
            if not (ours or creating) or not keys or not keys <= OUR_TAG_KEYS:
                problems.append("SnapshotFunctionRole: rds:AddTagsToResource must need a snapshot already ours (rds:snapshot-tag/ManagedBy) "
                                "or a request marking it ours, and only our tag keys (aws:TagKeys)")
            if any(not a.endswith(prefix) for a in alternatives(st.get("Resource"))):
                problems.append(f"SnapshotFunctionRole: rds:AddTagsToResource must be limited to {prefix}")
        if allows(st, "rds:CreateDBSnapshot"):
            for a in alternatives(st.get("Resource")):
                if ":db:" in a and not re.search(r":db:\$\{DbInstanceIds\[\d\]\}$", a):
                    problems.append(f"SnapshotFunctionRole: rds:CreateDBSnapshot on {a}: only the configured databases")
                if ":snapshot:" in a and not a.endswith(prefix):
                    problems.append(f"SnapshotFunctionRole: rds:CreateDBSnapshot on {a}: only {prefix}")
    for st in role_statements(r, "SnapshotFunctionRole"):
        if allows(st, "rds:CopyDBSnapshot") and any(not a.endswith(prefix) for a in alternatives(st.get("Resource"))):
            problems.append(f"SnapshotFunctionRole: rds:CopyDBSnapshot only of and to {prefix}")
        if allows(st, "kms:CreateGrant"):
            via = render(st.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService", ""))
            if via != "rds.${DrRegion}.amazonaws.com" or alternatives(st.get("Resource")) != ["${DrKmsKeyArn}"]:
                problems.append("SnapshotFunctionRole: kms:CreateGrant only on the DR key, via RDS in the DR region")
    for st in role_statements(r, "BackupReplicationRole"):
        if (allows(st, "s3:ReplicateObject") or allows(st, "s3:ReplicateDelete")) and any(
                not a.startswith("${DrBackupBucketArn}/") for a in alternatives(st.get("Resource"))):
            problems.append("BackupReplicationRole: replicas only into DrBackupBucketArn")
        if allows(st, "s3:ReplicateDelete"):
            problems.append("BackupReplicationRole: deletes are not replicated (a lost or wiped source must not empty the DR copy)")
        if allows(st, "kms:Encrypt") and (alternatives(st.get("Resource")) != ["${DrKmsKeyArn}"] or render(
                st.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService", "")) != "s3.${DrRegion}.amazonaws.com"):
            problems.append("BackupReplicationRole: kms:Encrypt only with the DR key, through S3 in the DR region")
    for st in role_statements(r, "PruneFunctionRole"):
        if allows(st, "rds:DeleteDBSnapshot"):
            ours = st.get("Condition", {}).get("StringEquals", {}).get("rds:snapshot-tag/ManagedBy") == {"Ref": "AWS::StackName"}
            if not ours or any(not a.endswith(prefix) for a in alternatives(st.get("Resource"))):
                problems.append(f"PruneFunctionRole: rds:DeleteDBSnapshot only on {prefix} tagged ManagedBy = the stack")
    remediation = role_statements(r, "AlarmRemediationFunctionRole")
    services = {"service/${EcsClusterName}/${BackendServiceName}", "service/${EcsClusterName}/${FrontendServiceName}"}
    for st in remediation:
        if allows(st, "ecs:UpdateService"):
            if {a.split(":")[-1] for a in alternatives(st.get("Resource"))} != services:
                problems.append("AlarmRemediationFunctionRole: ecs:UpdateService only on the backend and frontend services")
            families = st.get("Condition", {}).get("ArnLikeIfExists", {}).get("ecs:task-definition")
            if not families:
                problems.append("AlarmRemediationFunctionRole: ecs:UpdateService needs the ecs:task-definition condition (no foreign family)")
            if st.get("Condition", {}).get("BoolIfExists", {}).get("ecs:enable-execute-command") != "false":
                problems.append("AlarmRemediationFunctionRole: ecs:UpdateService must not switch ECS Exec on (BoolIfExists ecs:enable-execute-command false)")
        if any(allows(st, a) for a in AAS_NEVER):
            problems.append("AlarmRemediationFunctionRole: Application Auto Scaling only raises a minimum and schedules its "
                            "restore (no scaling policy, no deregistration)")
        if any(allows(st, a) for a in AAS_HOLD):
            cond = st.get("Condition", {}).get("StringEquals", {})
            if (cond.get("application-autoscaling:service-namespace") != "ecs"
                    or cond.get("application-autoscaling:scalable-dimension") != "ecs:service:DesiredCount"):
                problems.append("AlarmRemediationFunctionRole: Application Auto Scaling writes only on ECS desired-count "
                                "targets (service-namespace and scalable-dimension conditions)")
            if any(":scalable-target/" not in a and a != "${EcsScalableTargetArns}" for a in alternatives(st.get("Resource"))):
                problems.append("AlarmRemediationFunctionRole: Application Auto Scaling writes only on scalable targets")
        if allows(st, "rds:RebootDBInstance") and any(not a.endswith(":db:${DbInstanceIds[0]}") for a in alternatives(st.get("Resource"))):
            problems.append("AlarmRemediationFunctionRole: rds:RebootDBInstance only on PRIMARY_DB (the first of DbInstanceIds)")
    for role, prefixes in STATE_WRITES.items():
        for st in role_statements(r, role):
            if any(allows(st, a) for a in ("s3:PutObject", "s3:DeleteObject")):
                for a in alternatives(st.get("Resource")):
                    if not any(a == "${OpsStateBucket.Arn}/" + p for p in prefixes):
                        problems.append(f"{role}: writes to {a}: only under " + ", ".join(prefixes))
    for st in role_statements(r, "OpsReportFunctionRole"):
        for act in as_list(st.get("Action", [])):
            action = act.split(":", 1)[-1]
            if st.get("Effect") != "Allow" or READ_ONLY.match(action):
                continue
            allowed = REPORT_WRITES.get(act)
            arns = list(alternatives(st.get("Resource")))
            if allowed is None or any(a != allowed for a in arns):
                problems.append(f"OpsReportFunctionRole: reads only, but {act} on " + ", ".join(arns)
                                + ("" if allowed is None else f" (only {allowed})"))
    drill_db = "db:${SnapshotPrefix}-${Environment}-drill-*"
    for st in role_statements(r, "RestoreDrillFunctionRole"):
        cond = st.get("Condition", {})
        arns = list(alternatives(st.get("Resource")))
        if allows(st, "rds:DeleteDBInstance"):
            tagged = cond.get("StringEquals", {}).get("rds:db-tag/ManagedBy") == {"Ref": "AWS::StackName"}
            drill = cond.get("Null", {}).get("rds:db-tag/kfood-ops:drill") == "false"
            if not (tagged and drill) or any(not a.endswith(drill_db) for a in arns):
                problems.append(f"RestoreDrillFunctionRole: rds:DeleteDBInstance only on {drill_db} tagged ManagedBy = the stack and kfood-ops:drill")
        if allows(st, "rds:AddTagsToResource") or allows(st, "rds:RemoveTagsFromResource"):
            for a in arns:
                ours = (cond.get("StringEquals", {}).get("rds:snapshot-tag/ManagedBy" if ":snapshot:" in a else "rds:db-tag/ManagedBy")
                        == {"Ref": "AWS::StackName"})
                creating = cond.get("StringEquals", {}).get("aws:RequestTag/ManagedBy") == {"Ref": "AWS::StackName"}
                if not (a.endswith(prefix) or a.endswith(drill_db)) or not (ours or creating and a.endswith(drill_db)):
                    problems.append(f"RestoreDrillFunctionRole: tags only on our snapshots and drill instances, not {a}")
                if not cond.get("ForAllValues:StringEquals", {}).get("aws:TagKeys"):
                    problems.append("RestoreDrillFunctionRole: tagging without a fixed set of tag keys (aws:TagKeys)")
        if allows(st, "rds:RestoreDBInstanceToPointInTime"):
            for a in arns:
                # a point-in-time restore reads a database of DbInstanceIds and makes a drill instance
                source = ":db:${DbInstanceIds[" in a  # rendered from each !Select of DbInstanceIds
                tagged = a.endswith(drill_db) and cond.get("StringEquals", {}).get("aws:RequestTag/ManagedBy")
                if ":db:" in a and not (source or tagged):
                    problems.append(f"RestoreDrillFunctionRole: restores to a point in time only from DbInstanceIds into {drill_db} tagged ManagedBy = the stack, not {a}")
        if allows(st, "rds:RestoreDBInstanceFromDBSnapshot"):
            for a in arns:
                if ":snapshot:" in a and not (a.endswith(prefix) and cond.get("StringEquals", {}).get("rds:snapshot-tag/ManagedBy")):
                    problems.append(f"RestoreDrillFunctionRole: restores only from snapshots this stack made, not {a}")
                if ":db:" in a and not (a.endswith(drill_db) and cond.get("StringEquals", {}).get("aws:RequestTag/ManagedBy")):
                    problems.append(f"RestoreDrillFunctionRole: restores only into {drill_db} tagged ManagedBy = the stack")
    for name, st in statements(r):
        if allows(st, "secretsmanager:GetSecretValue"):
            for a in alternatives(st.get("Resource")):
                managed = a.endswith(":secret:rds!db-*") and st.get("Condition", {}).get("StringLike", {}).get(
                    "aws:ResourceTag/aws:rds:primaryDBInstanceArn", {})
                if managed and all(m.endswith(drill_db) for m in alternatives(managed)):
                    continue  # RDS names its own secrets: bound to the drill instances by RDS's tag instead
                if not a.endswith("-??????") or "*" in a:
                    problems.append(f"{name}: secret {a}: only the exact 6-character suffix (-??????)")
        if any(a.startswith("ec2:") and "NetworkInterface" in a for a in as_list(st.get("Action", []))):
            problems.append(f"{name}: network-interface rights only through the VPC policy under HasVpc")
    for name, res in r.items():
        props = res.get("Properties", {})
        if res["Type"] == "AWS::IAM::Role":
            if "PermissionsBoundary" not in props:
                problems.append(f"{name}: role without the permissions boundary (PermissionsBoundaryName)")
            for arn in as_list(props.get("ManagedPolicyArns", [])):
                text = json.dumps(arn)
                policy = re.search(r"policy/(?:service-role/)?([A-Za-z]+)", text)
                if not policy or policy.group(1) not in MANAGED_POLICIES:
                    problems.append(f"{name}: managed policy {text} is not on the short list")
                elif policy.group(1) == "AWSLambdaVPCAccessExecutionRole" and not (isinstance(arn, dict) and arn.get("Fn::If", [None])[0] == "HasVpc"):
                    problems.append(f"{name}: AWSLambdaVPCAccessExecutionRole attached outside HasVpc")
        if res["Type"] == "AWS::Logs::LogGroup" and props.get("KmsKeyId") != {"Fn::GetAtt": ["OpsKey", "Arn"]}:
            problems.append(f"{name}: log group not encrypted with the stack's key")
        if res["Type"] in TAGGABLE and res["Type"] != "AWS::Lambda::Function":
            tags = props.get("Tags", [])
            keys = set(tags) if isinstance(tags, dict) else {t.get("Key") for t in tags}
            if not {"Environment", "Service"} <= keys:
                problems.append(f"{name}: not tagged Environment and Service")
        if res["Type"] == "AWS::Lambda::Function":
            level = props.get("LoggingConfig", {}).get("ApplicationLogLevel", "INFO")
            if level not in ("TRACE", "DEBUG", "INFO"):
                problems.append(f"{name}: ApplicationLogLevel {level} would drop the EMF metric lines (they carry no level): keep INFO or lower")
            keys = {t.get("Key") for t in props.get("Tags", [])}
            if not {"Environment", "Service"} <= keys:
                problems.append(f"{name}: not tagged Environment and Service")
        if res["Type"] == "AWS::Scheduler::Schedule":
            if "${AWS::StackName}" not in render(props.get("Name", "")):
                problems.append(f"{name}: schedule not named with the stack name (two stacks would collide)")
            if not props.get("Target", {}).get("DeadLetterConfig"):
                problems.append(f"{name}: schedule without a dead-letter queue")
        if res["Type"] == "AWS::Events::Rule":
            pattern = json.dumps(props.get("EventPattern", {}))
            if '"aws.ecs"' in pattern and "EcsClusterName" not in pattern:
                problems.append(f"{name}: ECS rule not filtered to the platform's cluster")
            if '"aws.codedeploy"' in pattern and "CodeDeployApplicationName" not in pattern:
                problems.append(f"{name}: CodeDeploy rule not filtered to the platform's application")
            if any(not t.get("DeadLetterConfig") for t in props.get("Targets", [])):
                problems.append(f"{name}: rule target without a dead-letter queue")
    bucket = r.get("BackupBucket", {}).get("Properties", {})
    sse = bucket.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [{}])[0].get("ServerSideEncryptionByDefault", {})
    lock = bucket.get("ObjectLockConfiguration", {}).get("Rule", {}).get("DefaultRetention", {})
    rules = bucket.get("LifecycleConfiguration", {}).get("Rules", [])
    for ok, what in ((sse.get("SSEAlgorithm") == "aws:kms" and sse.get("KMSMasterKeyID") == {"Fn::GetAtt": ["BackupKey", "Arn"]},
                      "SSE-KMS with the backups' own key (BackupKey)"),
                     (bucket.get("VersioningConfiguration", {}).get("Status") == "Enabled", "versioning"),
                     (bucket.get("ObjectLockEnabled") is True and lock.get("Mode") == {"Fn::If": ["IsProd", "COMPLIANCE", "GOVERNANCE"]}
                      and lock.get("Days") == {"Ref": "RetentionDays"}
                      and cfn.get("Conditions", {}).get("IsProd") == {"Fn::Equals": [{"Ref": "Environment"}, "prod"]},
                      "Object Lock for RetentionDays, COMPLIANCE in prod and GOVERNANCE elsewhere"),
                     (bool(bucket.get("LoggingConfiguration", {}).get("DestinationBucketName")), "server access logging"),
                     (any("NoncurrentVersionExpiration" in rule for rule in rules), "noncurrent versions expiring after the lock")):
        if not ok:
            problems.append(f"BackupBucket: no {what}")
    human = json.dumps(cfn.get("Rules", {}))
    if not ('"prod"' in human and "OpsEmail" in human and "SlackChannelId" in human):
        problems.append("Rules: prod must not deploy without a human route (OpsEmail or Slack) on the alarms topic")
    problems += service_trusts(r) + topic_policies(r) + backup_guards(r) + report_readers(r) + code_signing(cfn, r)
    link = cfn.get("Parameters", {}).get("ReportLinkHours", {})
    if link.get("MaxValue") != 1:
        problems.append("ReportLinkHours: a report's pre-signed link may live longer than one hour")
    rules = cfn.get("Rules", {})
    if not any(rule.get("RuleCondition") == {"Fn::Equals": [{"Ref": "Environment"}, "prod"]}
               and {"Assert": {"Fn::Equals": [{"Ref": "DbSslMode"}, "verify-full"]}}.items() <= a.items()
               for rule in rules.values() for a in rule.get("Assertions", [])):
        problems.append("Rules: prod must connect to its database with DbSslMode verify-full (require accepts any certificate)")
    if not any(rule.get("RuleCondition") == {"Fn::Not": [{"Fn::Equals": [{"Ref": "Environment"}, "dev"]}]}
               and a.get("Assert") == {"Fn::Not": [{"Fn::EachMemberEquals": [{"Ref": "EcsScalableTargetArns"}, ""]}]}
               for rule in rules.values() for a in rule.get("Assertions", [])):
        problems.append("Rules: outside dev the remediation's scalable targets must be named (EcsScalableTargetArns), "
                        "never any target of the account")
    if not any(d.get("Protocol") == "lambda" and d.get("FailureFeedbackRoleArn")
               for d in r.get("AlarmsTopic", {}).get("Properties", {}).get("DeliveryStatusLogging", [])):
        problems.append("AlarmsTopic: no delivery-status logging of its deliveries to the remediation function")
    failed = {json.dumps(res["Properties"].get("Dimensions")) for res in r.values()
              if res["Type"] == "AWS::CloudWatch::Alarm" and res["Properties"].get("MetricName") == "NumberOfNotificationsFailed"}
    for topic in ("AlarmsTopic", "NotificationsTopic"):
        if not any(f'"{topic}"' in d for d in failed):
            problems.append(f"{topic}: no alarm on NumberOfNotificationsFailed")
    return problems


# what the managed policies SAM attaches allow (the boundary must allow it too)
MANAGED_ACTIONS = {
    "AWSLambdaBasicExecutionRole": {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
    "AWSLambdaVPCAccessExecutionRole": {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                                        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                                        "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface",
                                        "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"},
    "AWSXrayWriteOnlyAccess": {"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                               "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"},
}


def _matches(action, pattern):
    return re.fullmatch(re.escape(pattern.lower()).replace(r"\*", ".*").replace(r"\?", "."), action.lower()) is not None


def boundary_coverage(cfn, bootstrap):
    """The boundary allows what the stack's roles allow and no more (issue 30): each action a role carrying
    the boundary may be allowed (its statements, both branches of an Fn::If, its managed policies) is
    allowed by the boundary, and each action the boundary allows is one some role asks for."""
    with open(bootstrap) as f:
        boot = yaml_parse(f.read())
    policy = boot.get("Resources", {}).get("PermissionsBoundary", {}).get("Properties", {}).get("PolicyDocument", {})
    granted = {a for st in as_list(policy.get("Statement", [])) if st.get("Effect") == "Allow"
               for a in as_list(st.get("Action", []))}
    resources = cfn.get("Resources", {})
    bounded = {n: r for n, r in resources.items()
               if r.get("Type") == "AWS::IAM::Role" and "PermissionsBoundary" in r.get("Properties", {})}
    wanted = {a for _, st in statements(bounded) if st.get("Effect") == "Allow" for a in as_list(st.get("Action", []))}
    for r in bounded.values():
        for arn in (a for v in r["Properties"].get("ManagedPolicyArns", []) for a in alternatives(v)):
            wanted |= MANAGED_ACTIONS.get(arn.rsplit("/", 1)[-1], set())
    problems = [f"the permissions boundary ({bootstrap}) does not allow {a}, which the template allows"
                for a in sorted(wanted) if not any(_matches(a, g) for g in granted)]
    problems += [f"the permissions boundary ({bootstrap}) allows {g}, which no role of the template asks for"
                 for g in sorted(granted) if not any(_matches(a, g) for a in wanted)]
    return problems


def report(path, out=None, bootstrap=None):
    with open(path) as f:
        sam = yaml_parse(f.read())
    # as after `sam package`: code locations are S3 objects
    sam.get("Globals", {}).get("Function", {})["CodeUri"] = "s3://kfood-ops-artifacts/code.zip"
    for r in sam["Resources"].values():
        if r.get("Type") == "AWS::Serverless::Function" and "CodeUri" in r.get("Properties", {}):
            r["Properties"]["CodeUri"] = "s3://kfood-ops-artifacts/code.zip"
    cfn = transform(sam, {"AWS::Region": "ap-northeast-2", "AWS::AccountId": "123456789012"}, StubPolicies())
    problems, functions, statement_count = check(cfn)
    problems += contract(cfn)
    if bootstrap is None and "SnapshotFunctionRole" in cfn.get("Resources", {}):
        beside = os.path.join(os.path.dirname(os.path.abspath(path)), "bootstrap", "pipeline.yaml")
        bootstrap = beside if os.path.exists(beside) else None
    if bootstrap:
        problems += boundary_coverage(cfn, bootstrap)
    if out:
        with open(out, "w") as f:
            json.dump(cfn, f, indent=1)
        # cfn-lint on the transformed template: it validates IAM action names there
        lint = subprocess.run(["cfn-lint", "--format", "parseable", out], capture_output=True, text=True)
        problems += [f"cfn-lint (transformed): {line}" for line in lint.stdout.splitlines() if line.strip()]
    for p in problems:
        print(f"template-check: {p}")
    print(f"template-check: {path}: {functions} functions, {statement_count} policy statements: {len(problems)} problem(s)")
    return 1 if problems else 0


def main():
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-northeast-2")  # the transform asks for one; nothing is called
    args = sys.argv[1:]
    out = None
    if "--transformed-out" in args:
        i = args.index("--transformed-out")
        out = args[i + 1]
        del args[i:i + 2]
    bootstrap = None
    if "--bootstrap" in args:
        i = args.index("--bootstrap")
        bootstrap = args[i + 1]
        del args[i:i + 2]
    return max(report(path, out, bootstrap) for path in args)


if __name__ == "__main__":
    sys.exit(main())
