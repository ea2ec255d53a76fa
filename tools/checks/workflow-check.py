#!/usr/bin/env python3
"""The deploy pipeline's guarantees, checked on the workflow files and the bootstrap template.

For each kind of event GitHub can deliver (a push to main, a fork's pull request from a branch
named main, the workflow_run such a pull request's CI produces, a dispatch from another branch,
a push to main in a fork...), it decides as GitHub would which jobs run: the workflow's triggers
and branch filters, each job's `if:` (evaluated with GitHub's expression rules for the operators
the workflows use) and the jobs it needs. It fails (exit 1) when:
  - a job that can assume a cloud role (id-token: write) runs for anything but a push to this
    repository's main or a dispatch from main,
  - a deploy job has no GitHub environment, or its role is not the environment's variable,
  - an action is not pinned by a full commit SHA, or a job holding credentials installs a tool,
  - an expression (${{ vars.* }}, a step's output) stands inline in a run: line instead of env:,
  - the bootstrap's GitHub roles trust anything wider than their own environment of the repository,
    or a GitHub role may create IAM roles, IMPORT change sets, or change sets of a template outside
    the environment's artifacts prefix,
  - the bootstrap is not per environment (names without it), its CloudFormation service role may
    rewrite key policies, schedule key deletions, put to S3 or manage Lambda on every resource, or
    create or pass roles beyond kfood-ops-<environment>-*, or its boundary allows a secret read, a
    decrypt, an invoke, an RDS delete or restore, a service update or an S3 write on every resource.
Usage: workflow-check.py [REPO_ROOT]
"""
import re
import sys
from pathlib import Path

import yaml
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
THIS_REPO = "kfood/kfood-ops"
FORK = "attacker/kfood-ops"

# (name, event, context, whether a credential job may run)
SCENARIOS = [
    ("push to main", "push", {"ref": "refs/heads/main", "repository": THIS_REPO, "fork": False}, True),
    ("dispatch from main", "workflow_dispatch", {"ref": "refs/heads/main", "repository": THIS_REPO, "fork": False}, True),
    ("dispatch from a feature branch", "workflow_dispatch", {"ref": "refs/heads/feature", "repository": THIS_REPO, "fork": False}, False),
    ("push to another branch", "push", {"ref": "refs/heads/feature", "repository": THIS_REPO, "fork": False}, False),
    ("fork pull request from a branch named main", "pull_request",
     {"ref": "refs/pull/7/merge", "head_ref": "main", "base_ref": "main", "repository": THIS_REPO, "fork": False,
      "head_repository": FORK}, False),
    ("fork pull request, pull_request_target", "pull_request_target",
     {"ref": "refs/heads/main", "head_ref": "main", "base_ref": "main", "repository": THIS_REPO, "fork": False,
      "head_repository": FORK}, False),
    ("CI of a fork pull request from a branch named main (workflow_run)", "workflow_run",
     {"ref": "refs/heads/main", "repository": THIS_REPO, "fork": False, "head_branch": "main", "run_event": "pull_request",
      "conclusion": "success", "head_repository": FORK}, False),
    ("push to main in a fork", "push", {"ref": "refs/heads/main", "repository": FORK, "fork": True}, False),
]


def github_context(event, c):
    ev = {"repository": {"full_name": c["repository"], "fork": c["fork"]}}
    if event == "workflow_run":
        ev["workflow_run"] = {"event": c["run_event"], "head_branch": c["head_branch"], "conclusion": c["conclusion"],
                              "head_repository": {"full_name": c["head_repository"]}}
    if event.startswith("pull_request"):
        ev["pull_request"] = {"head": {"ref": c["head_ref"], "repo": {"full_name": c["head_repository"], "fork": True}}}
    return {"event_name": event, "ref": c["ref"], "repository": c["repository"], "head_ref": c.get("head_ref", ""),
            "base_ref": c.get("base_ref", ""), "event": ev}


# ---- GitHub expressions: literals, context paths, ! == != && || and parentheses, success()/always()
TOKEN = re.compile(r"\s*(?:(\'(?:[^\']|\'\')*\')|(==|!=|&&|\|\||!|\(|\))|([A-Za-z_][A-Za-z0-9_.\-]*(?:\(\))?)|(\d+))")


def tokens(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot read the expression at: {text[pos:]!r}")
        out.append(m.group(0).strip())
        pos = m.end()
    return out


def evaluate(expr, ctx):
    expr = expr.strip()
    if expr.startswith("${{") and expr.endswith("}}"):
        expr = expr[3:-2]
    toks = tokens(expr)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def primary():
        t = take()
        if t == "(":
            v = disjunction()
            if take() != ")":
                raise ValueError("unbalanced parentheses")
            return v
        if t == "!":
            return not truthy(primary())
        if t.startswith("'"):
            return t[1:-1].replace("''", "'")
        if t in ("true", "false"):
            return t == "true"
        if t in ("success()", "always()"):
            return True
        if t in ("failure()", "cancelled()"):
            return False
        if t.isdigit():
            return int(t)
        value = ctx
        for part in t.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    def comparison():
        left = primary()
        while peek() in ("==", "!="):
            op = take()
            right = primary()
            same = norm(left) == norm(right)
            left = same if op == "==" else not same
        return left

    def conjunction():
        left = comparison()
        while peek() == "&&":
            take()
            right = comparison()
            left = right if truthy(left) else left
        return left

    def disjunction():
        left = conjunction()
        while peek() == "||":
            take()
            right = conjunction()
            left = left if truthy(left) else right
        return left

    value = disjunction()
    if pos != len(toks):
        raise ValueError(f"unexpected {toks[pos]!r} in {expr!r}")
    return truthy(value)


def truthy(v):
    return v not in (None, False, 0, "")


def norm(v):  # GitHub compares strings case-insensitively; null equals only null
    return v.lower() if isinstance(v, str) else v


# ---- triggers
def triggers(workflow):
    on = workflow.get("on", workflow.get(True))  # PyYAML reads a bare `on` key as True
    if isinstance(on, str):
        return {on: {}}
    if isinstance(on, list):
        return {k: {} for k in on}
    return {k: (v or {}) for k, v in on.items()}


def triggered(workflow, event, c):
    on = triggers(workflow)
    if event not in on:
        return False
    branches = on[event].get("branches")
    if branches is None:
        return True
    if event == "push":
        return c["ref"].removeprefix("refs/heads/") in branches
    if event == "workflow_run":
        return c["head_branch"] in branches  # the head branch name: a fork's "main" matches
    if event.startswith("pull_request"):
        return c["base_ref"] in branches
    return True


def running_jobs(workflow, ctx):
    jobs = workflow.get("jobs", {})
    ran = {}

    def runs(name):
        if name not in ran:
            job = jobs[name]
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            ok = all(runs(n) for n in needs)
            if ok and "if" in job:
                job_ctx = dict(ctx, needs={n: {"outputs": {k: "x" for k in jobs[n].get("outputs", {})}} for n in needs})
                ok = evaluate(str(job["if"]), job_ctx)
            ran[name] = ok
        return ran[name]

    return {name for name in jobs if runs(name)}


def holds_credentials(job):
    return (job.get("permissions") or {}).get("id-token") == "write"


def check_workflows():
    problems, lines = [], []
    files = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    workflows = {f.name: yaml.safe_load(f.read_text()) for f in files}
    for fname, wf in workflows.items():
        for event, name in (("pull_request_target", "pull_request_target"), ("workflow_run", "workflow_run")):
            if event in triggers(wf) and any(holds_credentials(j) for j in wf.get("jobs", {}).values()):
                problems.append(f"{fname}: a {name} trigger beside jobs that hold credentials")
        for jname, job in wf.get("jobs", {}).items():
            steps = job.get("steps", [])
            for step in steps:
                if "${{" in str(step.get("run", "")):
                    problems.append(f"{fname} {jname}: an expression inline in run: ({str(step['run']).strip()[:60]}): "
                                    "pass it through env:")
                uses = step.get("uses", "")
                if uses and not uses.startswith("./") and not re.search(r"@[0-9a-f]{40}$", uses):
                    problems.append(f"{fname} {jname}: {uses} is not pinned by a full commit SHA")
            if holds_credentials(job):
                if not job.get("environment"):
                    problems.append(f"{fname} {jname}: holds credentials without a GitHub environment")
                for step in steps:
                    run = step.get("run", "")
                    if re.search(r"\b(pip|pip3|npm|npx|apt-get|apt|brew|gem|go install|cargo install|curl|wget)\b", run):
                        problems.append(f"{fname} {jname}: installs or downloads a tool while holding credentials: {run.strip()[:80]}")
                    role = (step.get("with") or {}).get("role-to-assume")
                    if role is not None and role != "${{ vars.AWS_DEPLOY_ROLE_ARN }}":
                        problems.append(f"{fname} {jname}: role-to-assume is not the environment's AWS_DEPLOY_ROLE_ARN")
    for scenario, event, c, may_deploy in SCENARIOS:
        ctx = {"github": github_context(event, c), "vars": {}, "secrets": {}}
        reached = []
        for fname, wf in workflows.items():
            if not triggered(wf, event, c):
                continue
            jobs = wf.get("jobs", {})
            for jname in sorted(running_jobs(wf, ctx)):
                job = jobs[jname]
                called = job.get("uses", "")
                creds = holds_credentials(job)
                if called.startswith("./"):  # a called workflow's jobs run with its caller's event
                    inner = yaml.safe_load((ROOT / called).read_text())
                    creds = creds or any(holds_credentials(j) for j in inner.get("jobs", {}).values())
                if creds:
                    reached.append(f"{fname}:{jname}")
        verdict = "deploys" if reached else "no credentials"
        lines.append(f"workflow-check: {scenario}: {verdict}" + (f" ({', '.join(reached)})" if reached else ""))
        if reached and not may_deploy:
            problems.append(f"{scenario} reaches jobs that assume a role: {', '.join(reached)}")
        if not reached and may_deploy:
            problems.append(f"{scenario} deploys nothing: the pipeline is broken")
    return problems, lines


# what no boundary may allow on every resource (the security review's second round, issue 31)
BOUNDARY_SCOPED = {"secretsmanager:GetSecretValue", "kms:Decrypt", "lambda:InvokeFunction", "rds:DeleteDBSnapshot",
                   "rds:DeleteDBInstance", "rds:RestoreDBInstanceFromDBSnapshot", "ecs:UpdateService", "s3:PutObject",
                   "s3:DeleteObject"}
# what the CloudFormation service role may never do on every resource
CFN_NEVER_EVERYWHERE = ("kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "s3:Put", "lambda:")


def _statements(doc):
    for st in doc.get("Statement", []):
        if isinstance(st, dict) and "Fn::If" in st:
            yield from (s for s in st["Fn::If"][1:] if isinstance(s, dict) and "Effect" in s)
        elif isinstance(st, dict):
            yield st


def _list(value):
    if isinstance(value, dict) and "Fn::If" in value:
        return [a for v in value["Fn::If"][1:] for a in _list(v)]
    return value if isinstance(value, list) else [value]


def _everywhere(st):
    """A statement on every resource: "*", or a pattern without an account, region or name of its own."""
    return any(r == "*" or r == {"Fn::Sub": "*"} for r in _list(st.get("Resource", [])))


def _text(value):
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else str(sub[0]) + " " + str(sub[1])
    return str(value)


def check_github_role(name, props):
    problems = []
    for st in props["AssumeRolePolicyDocument"]["Statement"]:
        if "Federated" not in st.get("Principal", {}):
            return problems
        cond = st.get("Condition", {})
        sub = cond.get("StringEquals", {}).get("token.actions.githubusercontent.com:sub")
        text = sub.get("Fn::Sub") if isinstance(sub, dict) else sub
        if set(cond) != {"StringEquals"} or not isinstance(text, str) or not re.fullmatch(
                r"repo:\$\{GitHubOwner\}/\$\{GitHubRepository\}:environment:([a-z-]+|\$\{Environment\})", text):
            problems.append(f"bootstrap {name}: trusts more than one environment of the repository ({sub})")
        if cond.get("StringEquals", {}).get("token.actions.githubusercontent.com:aud") != "sts.amazonaws.com":
            problems.append(f"bootstrap {name}: audience is not sts.amazonaws.com")
    statements = [s for policy in props.get("Policies", []) for s in _statements(policy["PolicyDocument"])]
    for st in statements:
        actions = _list(st["Action"])
        if st["Effect"] == "Allow" and any(a.startswith("iam:") and a != "iam:PassRole" or a == "*" for a in actions):
            problems.append(f"bootstrap {name}: a GitHub role may change IAM ({actions})")
    creates = any(st["Effect"] == "Allow" and "cloudformation:CreateChangeSet" in _list(st["Action"]) for st in statements)
    denies = [st for st in statements if st["Effect"] == "Deny" and "cloudformation:CreateChangeSet" in _list(st["Action"])]
    if creates and not any(st.get("Condition", {}).get("Null", {}).get("cloudformation:ImportResourceTypes") == "false"
                           for st in denies):
        problems.append(f"bootstrap {name}: may create IMPORT change sets (no Deny on cloudformation:ImportResourceTypes)")
    if creates and not any("${ArtifactsBucket}" in _text(st.get("Condition", {}).get("StringNotLike", {})
                                                        .get("cloudformation:TemplateUrl", ""))
                           and "/${Prefix}/* {'Prefix': {'Fn::FindInMap': ['Packages', {'Ref': 'Environment'}, 'Prefix']}}"
                           in _text(st["Condition"]["StringNotLike"]["cloudformation:TemplateUrl"])
                           for st in denies):
        problems.append(f"bootstrap {name}: change sets from any template URL (not only the artifacts prefix)")
    return problems


def check_service_role(name, props):
    problems = []
    for policy in props.get("Policies", []):
        for st in _statements(policy["PolicyDocument"]):
            if st["Effect"] != "Allow":
                continue
            for a in _list(st["Action"]):
                if _everywhere(st) and a.startswith(CFN_NEVER_EVERYWHERE):
                    problems.append(f"bootstrap {name}: {a} on every resource (only this environment's)")
                if a in ("iam:PassRole", "iam:CreateRole") and not all(
                        "role/${Stack}-*" in _text(r) and "kfood-ops-${Environment}" in _text(r)
                        for r in _list(st.get("Resource"))):
                    problems.append(f"bootstrap {name}: {a} beyond roles named kfood-ops-<environment>-*")
    return problems


def check_boundary(props):
    problems = []
    if "${Environment}" not in _text(props.get("ManagedPolicyName", "")):
        problems.append("bootstrap PermissionsBoundary: its name does not carry the environment")
    for st in _statements(props["PolicyDocument"]):
        if st["Effect"] == "Allow" and _everywhere(st):
            for a in sorted(BOUNDARY_SCOPED & set(_list(st["Action"]))):
                problems.append(f"bootstrap PermissionsBoundary: {a} on every resource (only this environment's)")
    return problems


def check_promotion_and_signing(template):
    """Prod's packages under a prefix only the promotion writes; every package signed; no function unsigned."""
    problems = []
    packages = template.get("Mappings", {}).get("Packages", {})
    prefixes = {env: packages.get(env, {}).get("Prefix") for env in ("staging", "prod")}
    if not prefixes["prod"] or prefixes["prod"] == prefixes["staging"]:
        problems.append(f"bootstrap Packages: prod does not deploy from a prefix of its own ({prefixes})")
    deploy = (ROOT / ".github" / "workflows" / "deploy.yml").read_text()
    if not re.search(r"uses: actions/attest-build-provenance@[0-9a-f]{40} ", deploy):
        problems.append("deploy.yml: the build deployed has no provenance (actions/attest-build-provenance)")
    script = (ROOT / "tools" / "pipeline" / "changeset.sh").read_text()
    packaged = dict(re.findall(r"(staging|prod)\) prefix=([A-Za-z0-9-]+) ;;", script))
    if packaged != prefixes or "tools/pipeline/sign.py" not in script:
        problems.append(f"changeset.sh: packages under {packaged} or unsigned, not as the bootstrap's Packages {prefixes}")
    resources = template.get("Resources", {})
    policy = resources.get("ArtifactsBucketPolicy", {}).get("Properties", {}).get("PolicyDocument", {})
    guarded = False
    for st in _statements(policy):
        guarded |= (st["Effect"] == "Deny" and "s3:PutObject" in _list(st.get("Action"))
                    and f"/{prefixes['prod']}/*" in _text(st.get("Resource"))
                    and "github-plan" in _text(st.get("Condition", {}).get("ArnNotEquals", {}).get("aws:PrincipalArn")))
    if not guarded:
        problems.append("bootstrap ArtifactsBucketPolicy: others than the promotion may write what prod deploys")
    profile = [r for r in resources.values() if r.get("Type") == "AWS::Signer::SigningProfile"]
    if not profile or not str(profile[0]["Properties"].get("PlatformId", "")).startswith("AWSLambda-"):
        problems.append("bootstrap: no AWS Signer profile for Lambda: the functions' code is not signed")
    cfn_role = resources.get("CloudFormationExecutionRole", {}).get("Properties", {})
    statements = [st for policy in cfn_role.get("Policies", []) for st in _statements(policy["PolicyDocument"])]
    if not any(st["Effect"] == "Deny" and "lambda:CreateFunction" in _list(st["Action"])
               and st.get("Condition", {}).get("Null", {}).get("lambda:CodeSigningConfigArn") == "true" for st in statements):
        problems.append("bootstrap CloudFormationExecutionRole: may create a function without a code signing config")
    return problems


def check_bootstrap():
    problems = []
    path = ROOT / "bootstrap" / "pipeline.yaml"
    template = yaml_parse(path.read_text())
    problems += check_promotion_and_signing(template)
    if "Environment" not in template.get("Parameters", {}):
        problems.append("bootstrap: not per environment (no Environment parameter): one account, one environment")
    for name, res in template.get("Resources", {}).items():
        props = res.get("Properties", {})
        if res.get("Type") == "AWS::IAM::Role":
            principals = [st.get("Principal", {}) for st in props["AssumeRolePolicyDocument"]["Statement"]]
            if any("Federated" in p for p in principals):
                problems += check_github_role(name, props)
            elif any(p.get("Service") == "cloudformation.amazonaws.com" for p in principals):
                problems += check_service_role(name, props)
        if res.get("Type") == "AWS::IAM::ManagedPolicy" and name == "PermissionsBoundary":
            problems += check_boundary(props)
        named = props.get("RoleName") or props.get("BucketName")
        if named and not re.search(r"\$\{Environment\}|prod", _text(named)):
            problems.append(f"bootstrap {name}: its name ({_text(named)}) does not carry the environment")
    return problems


CODEOWNED = ("/template.yaml", "/bootstrap/", "/.github/", "/tools/pipeline/")


def check_repository_settings(workflows):
    """The GitHub protections live in the repository: CODEOWNERS over what decides deployments, the
    environments' settings written down and agreeing with the workflows, and a deploy workflow that
    refuses any ref but main out loud."""
    problems = []
    owners = ROOT / ".github" / "CODEOWNERS"
    owned = {line.split()[0] for line in owners.read_text().splitlines()
             if line.strip() and not line.startswith("#") and len(line.split()) > 1} if owners.exists() else set()
    problems += [f"CODEOWNERS: {path} has no owner" for path in CODEOWNED if path not in owned]
    settings_file = ROOT / ".github" / "environments.yml"
    settings = yaml.safe_load(settings_file.read_text()) if settings_file.exists() else {}
    envs = settings.get("environments", {}) or {}
    used = {job.get("environment") for wf in workflows.values() for job in wf.get("jobs", {}).values()
            if job.get("environment")}
    for env in sorted(used):
        policy = (envs.get(env) or {}).get("deployment_branch_policy", {})
        if policy.get("custom_branches") != ["main"]:
            problems.append(f"environments.yml: {env} is not limited to main")
    prod = envs.get("prod") or {}
    if not prod.get("required_reviewers") or not prod.get("prevent_self_review"):
        problems.append("environments.yml: prod without required reviewers who cannot approve their own run")
    main = (settings.get("branch_protection") or {}).get("main", {})
    if not (main.get("required_pull_request_reviews") or {}).get("require_code_owner_reviews"):
        problems.append("environments.yml: main's protection does not require code owners' review")
    pom = (ROOT / "pom.xml").read_text() if (ROOT / "pom.xml").exists() else ""
    for section in ("repositories", "pluginRepositories"):
        block = re.search(rf"<{section}>(.*?)</{section}>", pom, re.S)
        if not block or "<checksumPolicy>fail</checksumPolicy>" not in block.group(1):
            problems.append(f"pom.xml: a Maven Central download with a wrong checksum only warns ({section})")
    deploy = workflows.get("deploy.yml", {})
    refusals = [j for j in deploy.get("jobs", {}).values() if "github.ref != 'refs/heads/main'" in str(j.get("if", ""))
                and any("exit 1" in str(s.get("run", "")) for s in j.get("steps", []))]
    if not refusals:
        problems.append("deploy.yml: a run from another ref is only skipped, not refused")
    return problems


def main():
    problems, lines = check_workflows()
    problems += check_bootstrap()
    problems += check_repository_settings(
        {f.name: yaml.safe_load(f.read_text()) for f in sorted((ROOT / ".github" / "workflows").glob("*.yml"))})
    for line in lines:
        print(line)
    for p in problems:
        print(f"workflow-check: {p}")
    print(f"workflow-check: {len(SCENARIOS)} kinds of event: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
