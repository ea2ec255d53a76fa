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
  - the bootstrap's GitHub roles trust anything wider than their own environment of the repository,
    or a GitHub role may create IAM roles.
Usage: workflow-check.py [REPO_ROOT]
"""
import re
import sys
from pathlib import Path

import yaml
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
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


def check_bootstrap():
    problems = []
    path = ROOT / "bootstrap" / "pipeline.yaml"
    template = yaml_parse(path.read_text())
    for name, res in template.get("Resources", {}).items():
        if res.get("Type") != "AWS::IAM::Role":
            continue
        props = res["Properties"]
        for st in props["AssumeRolePolicyDocument"]["Statement"]:
            if "Federated" not in st.get("Principal", {}):
                continue
            cond = st.get("Condition", {})
            sub = cond.get("StringEquals", {}).get("token.actions.githubusercontent.com:sub")
            text = sub.get("Fn::Sub") if isinstance(sub, dict) else sub
            if set(cond) != {"StringEquals"} or not isinstance(text, str) or \
                    not re.fullmatch(r"repo:\$\{GitHubOwner\}/\$\{GitHubRepository\}:environment:[a-z-]+", text):
                problems.append(f"bootstrap {name}: trusts more than one environment of the repository ({sub})")
            if cond.get("StringEquals", {}).get("token.actions.githubusercontent.com:aud") != "sts.amazonaws.com":
                problems.append(f"bootstrap {name}: audience is not sts.amazonaws.com")
            for policy in props.get("Policies", []):
                for st2 in policy["PolicyDocument"]["Statement"]:
                    actions = st2["Action"] if isinstance(st2["Action"], list) else [st2["Action"]]
                    if st2["Effect"] == "Allow" and any(a.startswith("iam:") and a != "iam:PassRole" or a == "*" for a in actions):
                        problems.append(f"bootstrap {name}: a GitHub role may change IAM ({actions})")
    return problems


def main():
    problems, lines = check_workflows()
    problems += check_bootstrap()
    for line in lines:
        print(line)
    for p in problems:
        print(f"workflow-check: {p}")
    print(f"workflow-check: {len(SCENARIOS)} kinds of event: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
