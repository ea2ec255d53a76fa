#!/usr/bin/env python3
"""samconfig.toml's deploy settings of one environment, for the pipeline's AWS CLI calls.

The pipeline deploys with the runner's AWS CLI (nothing is installed in a job that holds
credentials), so samconfig.toml stays the one place that says what each stage gets.
Usage: samconfig.py ENV stack-name | parameters   (parameters: one ParameterKey=..,ParameterValue=.. per line)
"""
import sys
import tomllib
from pathlib import Path


def section(config, env, command):
    merged = {}
    for cmd in ("global", command):
        merged.update(config.get(env, {}).get(cmd, {}).get("parameters", {}))
    return merged


def main(argv):
    if len(argv) != 3 or argv[2] not in ("stack-name", "parameters"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    env, what = argv[1], argv[2]
    config = tomllib.loads((Path(__file__).resolve().parents[2] / "samconfig.toml").read_text())
    if env not in config:
        print(f"samconfig.py: no environment '{env}' in samconfig.toml", file=sys.stderr)
        return 2
    deploy = section(config, env, "deploy")
    if what == "stack-name":
        print(deploy["stack_name"])
        return 0
    overrides = deploy.get("parameter_overrides", [])
    for item in overrides if isinstance(overrides, list) else overrides.split():
        key, _, value = item.partition("=")
        if "," in value:  # the CLI's shorthand splits on commas: escape them
            value = value.replace(",", "\\,")
        print(f"ParameterKey={key},ParameterValue={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
