"""Resource-level authorisation. With IAM enforcement on (POST /moto-api/reset-auth), moto checks
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
import re
import sys

from moto import settings
from moto.core.authorization import ActionAuthenticatorMixin
from moto.core.responses import BaseResponse
from moto.iam.access_control import IAMPolicyStatement, IAMRequest, S3IAMRequest


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
        if action == "StartDBInstanceAutomatedBackupsReplication" and p("SourceDBInstanceArn"):
            # the source database, and the replica RDS makes here (its id is RDS's: only the region is known)
            found += [p("SourceDBInstanceArn"), _arn(self, "rds", "auto-backup:ab-new-replica")]
        if action == "RestoreDBInstanceToPointInTime":
            # the source instance and the new one, each an RDS db resource
            found += [_arn(self, "rds", f"db:{i}") for i in (p("SourceDBInstanceIdentifier"), p("TargetDBInstanceIdentifier")) if i]
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
        if action == "DescribeTasks":
            cluster = (p("cluster") or "default").split("/")[-1]
            return [t if t.startswith("arn:") else _arn(self, "ecs", f"task/{cluster}/{t}") for t in (p("tasks") or [])]
        return []
    if service == "ecr" and action == "DescribeImageScanFindings" and p("repositoryName"):
        account = p("registryId") or self.current_account
        return [f"arn:aws:ecr:{self.region}:{account}:repository/{p('repositoryName')}"]
    if service == "awslambda" and action == "GetFunctionConfiguration":
        name = re.search(r"/functions/([^/]+)/configuration", self.path or "")
        if name:
            fn = name.group(1)
            return [fn if fn.startswith("arn:") else _arn(self, "lambda", f"function:{fn}")]
    if service == "sns" and action == "Publish":
        return [a for a in (p("TopicArn") or p("TargetArn"),) if a]
    if service == "secretsmanager" and action in ("GetSecretValue", "DescribeSecret") and p("SecretId"):
        return [_secret_arn(self, p("SecretId"))]
    if service == "cloudwatch" and action == "DescribeAlarmHistory" and p("AlarmName"):
        return [_arn(self, "cloudwatch", f"alarm:{p('AlarmName')}")]
    if service == "cloudwatch" and action == "DescribeAlarms" and p("AlarmNames"):
        return [_arn(self, "cloudwatch", f"alarm:{n}") for n in p("AlarmNames")]
    if service == "applicationautoscaling" and action in ("RegisterScalableTarget", "PutScheduledAction",
                                                           "DeleteScheduledAction"):
        return [_scalable_target_arn(self, p("ScalableDimension"), p("ResourceId"))]
    if service == "logs" and action in ("FilterLogEvents", "DescribeLogStreams") and p("logGroupName"):
        return [_arn(self, "logs", f"log-group:{p('logGroupName')}")]
    if service == "logs" and action == "StartQuery":
        # each log group queried, by name (logGroupNames) or as given (logGroupIdentifiers, ARNs or names)
        named = (p("logGroupNames") or []) + (p("logGroupIdentifiers") or []) + ([p("logGroupName")] if p("logGroupName") else [])
        return [g if g.startswith("arn:") else _arn(self, "logs", f"log-group:{g}") for g in named]
    return []


def _scalable_target_arn(self, dimension, resource_id):
    """A scalable target's ARN (a random id, as on AWS): what a policy scoped to the targets names."""
    from moto.applicationautoscaling.models import applicationautoscaling_backends
    target = applicationautoscaling_backends[self.current_account][self.region].targets.get(dimension, {}).get(resource_id)
    return target.arn if target else _arn(self, "application-autoscaling", "scalable-target/unknown")


def _iam_match(pattern, string):
    """IAM's wildcards: * any run of characters, ? exactly one; everything else literal."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.match(f"^{regex}$", string)


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

_authorize_action = ActionAuthenticatorMixin._authenticate_and_authorize_action


def _logging_denials(self, iam_request_cls, resource="*"):
    try:
        return _authorize_action(self, iam_request_cls, resource)
    except Exception as e:
        service = self.__class__.__module__.split(".")[1]
        print(f"kfood-ops-denied {service}:{self._get_action()} {resource} {type(e).__name__}", file=sys.stderr, flush=True)
        raise


# moto names the action by the signing name; IAM by the service prefix, which differs for CloudWatch
_IAM_PREFIX = {"monitoring": "cloudwatch"}
_iam_request_init = IAMRequest.__init__


def _iam_request_with_prefix(self, *args, **kwargs):
    _iam_request_init(self, *args, **kwargs)
    prefix = _IAM_PREFIX.get(self._service)
    if prefix:
        self._action = prefix + self._action[len(self._service):]


def apply():
    IAMPolicyStatement._match = staticmethod(_iam_match)
    S3IAMRequest.check_signature = lambda self: None
    BaseResponse._authenticate_and_authorize_normal_action = _authorize_each_resource
    ActionAuthenticatorMixin._authenticate_and_authorize_action = _logging_denials
    IAMRequest.__init__ = _iam_request_with_prefix
