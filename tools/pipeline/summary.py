#!/usr/bin/env python3
"""The change set as the approver reads it (the job summary): each resource's action, then each
property that changes with its value before and after, the changes that need a careful look (IAM,
key, bucket and topic policies, invoke permissions, code, the backups' lock and lifecycle) first.

    summary.py --arn CHANGE_SET_ARN     describe-change-set --include-property-values, every page
    summary.py PAGE.json...             the same from saved pages (tests)

Only the runner's python3 and AWS CLI."""
import json
import subprocess
import sys

# (resource type, property) -> what the approver is told it is; "*" for any property
CAREFUL = {
    ("AWS::IAM::Role", "Policies"): "IAM policy",
    ("AWS::IAM::Role", "AssumeRolePolicyDocument"): "IAM trust policy",
    ("AWS::IAM::Role", "ManagedPolicyArns"): "IAM policy",
    ("AWS::IAM::Role", "PermissionsBoundary"): "IAM permissions boundary",
    ("AWS::IAM::ManagedPolicy", "PolicyDocument"): "IAM policy",
    ("AWS::IAM::Policy", "PolicyDocument"): "IAM policy",
    ("AWS::KMS::Key", "KeyPolicy"): "key policy",
    ("AWS::S3::BucketPolicy", "PolicyDocument"): "bucket policy",
    ("AWS::SNS::TopicPolicy", "PolicyDocument"): "topic policy",
    ("AWS::SQS::QueuePolicy", "PolicyDocument"): "queue policy",
    ("AWS::Lambda::Permission", "*"): "invoke permission",
    ("AWS::Lambda::Function", "Code"): "code",
    ("AWS::Lambda::Function", "CodeSigningConfigArn"): "code signing",
    ("AWS::Lambda::Version", "CodeSha256"): "code hash",
    ("AWS::Lambda::CodeSigningConfig", "*"): "code signing",
    ("AWS::S3::Bucket", "ObjectLockConfiguration"): "backup lock",
    ("AWS::S3::Bucket", "LifecycleConfiguration"): "lifecycle (what expires)",
}
MAX_VALUE = 300


def pages_of(arn):
    token = None
    while True:
        args = ["aws", "cloudformation", "describe-change-set", "--change-set-name", arn,
                "--include-property-values", "--output", "json"] + (["--next-token", token] if token else [])
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"summary.py: describe-change-set failed: {done.stderr.strip()[:300]}")
        page = json.loads(done.stdout)
        yield page
        token = page.get("NextToken")
        if not token:
            return


def cell(value):
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    text = " ".join(str(text).split()).replace("|", "\\|").replace("`", "'")
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "..."


def careful(kind, prop):
    top = prop.strip("/").split("/")[1] if prop.startswith("/Properties/") else prop
    return CAREFUL.get((kind, top)) or CAREFUL.get((kind, "*"))


def render(pages):
    first, changes = pages[0], [c["ResourceChange"] for p in pages for c in p.get("Changes", [])]
    out = [f"### {first.get('StackName', '?')}: change set `{first.get('ChangeSetName', '?')}`, not executed yet", "",
           "| Action | Logical id | Type | Replacement |", "|---|---|---|---|"]
    out += [f"| {r.get('Action')} | {r.get('LogicalResourceId')} | {r.get('ResourceType')} | {r.get('Replacement', '')} |"
            for r in changes]
    rows, flagged = [], []
    for r in changes:
        kind, name = r.get("ResourceType"), r.get("LogicalResourceId")
        if r.get("Action") in ("Add", "Remove") and kind in {k for k, _ in CAREFUL} and kind != "AWS::S3::Bucket":
            flagged.append(f"- **{kind}** {'added' if r['Action'] == 'Add' else 'removed'}: `{name}`")
        for d in r.get("Details", []):
            t = d.get("Target", {})
            prop = t.get("Path") or f"/{t.get('Attribute', '')}/{t.get('Name', '')}".rstrip("/")
            what = careful(kind, prop)
            row = (f"| {name} | {cell(prop)} | {t.get('AttributeChangeType', d.get('ChangeSource', ''))} | "
                   f"{cell(t.get('BeforeValue', ''))} | {cell(t.get('AfterValue', ''))} | {t.get('RequiresRecreation', '')} |")
            rows.append(row)
            if what:
                flagged.append(f"- **{what}** `{name}` {cell(prop)}: {cell(t.get('BeforeValue', '(none)'))} -> "
                               f"{cell(t.get('AfterValue', '(none)'))}")
    if flagged:
        out += ["", "#### Look closely: policies, permissions and code", ""] + list(dict.fromkeys(flagged))
    if rows:
        out += ["", "#### Every property that changes", "",
                "| Logical id | Property | Change | Before | After | Recreation |", "|---|---|---|---|---|---|"] + rows
    return "\n".join(out) + "\n"


def main(argv):
    if argv[:1] == ["--arn"] and len(argv) == 2:
        pages = list(pages_of(argv[1]))
    elif argv and not argv[0].startswith("-"):
        pages = [json.load(open(p, encoding="utf-8")) for p in argv]
    else:
        sys.exit("usage: summary.py --arn CHANGE_SET_ARN | summary.py PAGE.json...")
    sys.stdout.write(render(pages))


if __name__ == "__main__":
    main(sys.argv[1:])
