"""The moto server, with two additions the project's tests need.

1. An RDS clock that tests can move. moto stamps snapshots with its own clock and its API cannot
   set it; the tests need snapshots of different ages. The offset (seconds, may be negative) is read
   from KFOOD_MOTO_CLOCK_FILE each time RDS asks for the time.

2. Resource-level authorisation. With IAM enforcement on (POST /moto-api/reset-auth), moto checks
   each call's action but, for most services, against the resource "*", so a policy scoped to ARNs
   (as least privilege is) denies everything. Here the resources a call acts on are named as the
   AWS Service Authorization Reference lists them (a snapshot, a database, a service, a topic, a
   secret's full ARN), and each must be allowed, as AWS requires. Conditions are still not
   evaluated (moto ignores them): docs/security.md says which ones the emulator cannot prove.
   IAM wildcards are matched as IAM matches them (moto reads "?" as a regular expression), and S3
   signatures are not verified (moto's server computes path-style ones differently; the caller is
   still identified by its access key). Each denial is also written to the server's log as "kfood-ops-denied <action> <resource>", so a
   check can see every one, even those a function handles quietly. Without enforcement nothing
   here runs.
"""
import datetime
import os
import sys

import moto.core.utils as utils
from moto import settings
import moto.rds.models as rds
import re

from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.responses import BaseResponse
from moto.iam.access_control import IAMPolicyStatement, S3IAMRequest

_real_utcnow = utils.utcnow
_offset_file = os.environ.get("KFOOD_MOTO_CLOCK_FILE")


def _shifted_utcnow():
    seconds = 0.0
    if _offset_file:
        try:
            with open(_offset_file, encoding="ascii") as f:
                seconds = float(f.read().strip() or 0)
        except (OSError, ValueError):
            seconds = 0.0
    return _real_utcnow() + datetime.timedelta(seconds=seconds)


rds.utcnow = _shifted_utcnow


def _arn(self, service, resource):
    return f"arn:aws:{service}:{self.region}:{self.current_account}:{resource}"


def _ecs_service(self, cluster, service):
    if service.startswith("arn:"):
        return service
    cluster = (cluster or "default").split("/")[-1]
    return _arn(self, "ecs", f"service/{cluster}/{service}")


def _secret_arn(self, secret_id):
    from moto.secretsmanager.models import secretsmanager_backends
    try:
        return secretsmanager_backends[self.current_account][self.region].describe_secret(secret_id).arn
    except Exception:  # an unknown secret: authorise what was asked for, the call then fails as AWS does
        return secret_id if secret_id.startswith("arn:") else _arn(self, "secretsmanager", f"secret:{secret_id}")


def _resources(self):
    """The ARNs a call acts on, or [] where the action takes "*" (lists, describes of everything)."""
    action, p = self._get_action(), self._get_param
    service = self.__class__.__module__.split(".")[1]
    if service == "rds":
        found = []
        if p("DBInstanceIdentifier") and action in ("CreateDBSnapshot", "RebootDBInstance", "DescribeDBInstances",
                                                    "RestoreDBInstanceFromDBSnapshot", "DeleteDBInstance", "ModifyDBInstance"):
            found.append(_arn(self, "rds", f"db:{p('DBInstanceIdentifier')}"))
        if p("DBSnapshotIdentifier") and action in ("CreateDBSnapshot", "DeleteDBSnapshot", "RestoreDBInstanceFromDBSnapshot"):
            found.append(_arn(self, "rds", f"snapshot:{p('DBSnapshotIdentifier')}"))
        if p("TargetDBSnapshotIdentifier") and action == "CopyDBSnapshot":
            found.append(_arn(self, "rds", f"snapshot:{p('TargetDBSnapshotIdentifier')}"))
        if p("ResourceName") and action in ("AddTagsToResource", "ListTagsForResource", "RemoveTagsFromResource"):
            found.append(p("ResourceName"))
        return found
    if service == "ecs":
        if action in ("UpdateService", "DescribeServices"):
            services = p("services") or [p("service")]
            return [_ecs_service(self, p("cluster"), s) for s in services if s]
        if action in ("TagResource", "UntagResource", "ListTagsForResource") and p("resourceArn"):
            return [p("resourceArn")]
        return []
    if service == "sns" and action == "Publish":
        return [a for a in (p("TopicArn") or p("TargetArn"),) if a]
    if service == "secretsmanager" and action == "GetSecretValue" and p("SecretId"):
        return [_secret_arn(self, p("SecretId"))]
    if service == "cloudwatch" and action == "DescribeAlarmHistory" and p("AlarmName"):
        return [_arn(self, "cloudwatch", f"alarm:{p('AlarmName')}")]
    return []


def _iam_match(pattern, string):
    """IAM's wildcards: * any run of characters, ? exactly one; everything else literal."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.match(f"^{regex}$", string)


IAMPolicyStatement._match = staticmethod(_iam_match)
S3IAMRequest.check_signature = lambda self: None

_authorize = BaseResponse._authenticate_and_authorize_normal_action


def _authorize_each_resource(self, resource="*"):
    if resource != "*" or ActionAuthenticatorMixin.request_count < settings.INITIAL_NO_AUTH_ACTION_COUNT:
        return _authorize(self, resource)  # a named resource, or no enforcement: as moto does
    try:
        resources = _resources(self)
    except Exception:  # a request moto will refuse anyway: authorise it as moto does
        resources = []
    for arn in resources or ["*"]:
        _authorize(self, arn)


BaseResponse._authenticate_and_authorize_normal_action = _authorize_each_resource

_authorize_action = ActionAuthenticatorMixin._authenticate_and_authorize_action


def _logging_denials(self, iam_request_cls, resource="*"):
    try:
        return _authorize_action(self, iam_request_cls, resource)
    except Exception as e:
        service = self.__class__.__module__.split(".")[1]
        print(f"kfood-ops-denied {service}:{self._get_action()} {resource} {type(e).__name__}", file=sys.stderr, flush=True)
        raise


ActionAuthenticatorMixin._authenticate_and_authorize_action = _logging_denials

from moto.server import main  # noqa: E402  (after the patches, by design)

sys.exit(main(sys.argv[1:]))
