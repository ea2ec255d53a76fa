"""The moto server, with the additions the project's tests and demo need, one file per patch:

1. patch_clock: an RDS clock that tests can move.
2. patch_iam_resources: resource-level authorisation, IAM's wildcards, IAM's action prefixes.
3. patch_missing_calls: rds:DescribeAccountAttributes and cloudwatch:DescribeAlarmHistory.
4. patch_cbor: CloudWatch over the Smithy RPC v2 CBOR protocol.
5. patch_report_reads: what the operations report reads and moto leaves out.
6. patch_tag_log: for ./ops iam-check, the tags each request found.

Each file says what it adds and why; src/test/python has a test per patch against this server.
It starts only on the moto versions the patches were tested with (moto_version.TESTED_MOTO;
KFOOD_MOTO_UNTESTED=1 overrides).
"""
import importlib
import os
import sys

import moto

from moto_version import check_moto_version

PATCHES = ("patch_clock", "patch_iam_resources", "patch_missing_calls", "patch_cbor", "patch_report_reads",
           "patch_tag_log")


def apply_patches():
    """Each patch in turn: the tag log wraps the dispatch the CBOR translation installed."""
    for name in PATCHES:
        importlib.import_module(name).apply()


if __name__ == "__main__":
    refusal = check_moto_version(moto.__version__, os.environ.get("KFOOD_MOTO_UNTESTED") == "1")
    if refusal:
        print(refusal, file=sys.stderr, flush=True)
        sys.exit(3)
    apply_patches()
    from moto.server import main
    sys.exit(main(sys.argv[1:]))
