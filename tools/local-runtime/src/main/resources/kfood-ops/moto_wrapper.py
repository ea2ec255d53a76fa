"""The moto server, with the additions the project's tests and demo need. It starts only on the
moto versions these patches were tested with (TESTED_MOTO; KFOOD_MOTO_UNTESTED=1 overrides).

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

3. Two calls moto lacks, answered as AWS documents them, so the product's code paths for them run end
   to end: rds:DescribeAccountAttributes (AccountQuotas; ManualSnapshots counts the region's manual
   snapshots against MOTO_RDS_SNAPSHOT_LIMIT, the same limit moto enforces) and
   cloudwatch:DescribeAlarmHistory (StateUpdate items from the state changes moto keeps for each
   alarm, newest first, "Alarm updated from OK to ALARM" as AWS words them).

4. CloudWatch over the Smithy RPC v2 CBOR protocol, which the AWS SDK for Java v2 uses for it and
   moto does not speak (it answers 404): each such request is translated, by botocore's own models,
   parsers and serializers, to the JSON protocol moto does speak, and the answer back to CBOR. The
   translated request is still authorised as its caller (its signature, computed over the CBOR body,
   is not checked again). moto authorises CloudWatch calls as "monitoring:<Action>" (its signing
   name); IAM's prefix is "cloudwatch", as the policies say.

5. What the operations report reads and moto leaves out: percentile statistics (pNN) in
   GetMetricData, computed from the datapoints published as raw values (Value or Values/Counts)
   by nearest rank, as CloudWatch computes them (statistic sets carry no distribution and give no
   percentile, as in CloudWatch); Logs Insights queries of the shape
   "filter @message like /RE/ | stats count(*) as N [by FIELD] | sort N desc | limit K" (moto runs
   them but computes no stats); rds:DescribePendingMaintenanceActions (none pending: moto schedules
   no maintenance); rds:DescribeDBEngineVersions for postgres, from the minor versions listed in
   _POSTGRES_MINORS below (a demo catalog, not AWS's live list), with each version's
   ValidUpgradeTarget the later minors of its major and the next major's first. And a moto bug
   fixed: GetMetricData compares a query's dimensions with a datapoint's after sorting both, but
   moto's Dimension orders by name against value, so two dimensions given in another order than
   they were put matched nothing (CloudWatch ignores their order).

6. For ./ops iam-check, with KFOOD_IAM_TAGS_LOG set: each request that carries the check's id header
   is logged with the RDS and ECS resource tags that changed since the request before it, so the
   check's IAM engine sees the tags a request found (conditions on rds:db-tag/..., ResourceTag/...)
   even for a resource the same run later deletes.
"""
import datetime
import json
import os
import sys

import moto

# These patches reach into moto's internals (and botocore's serializers): a moto they were not
# tested with could break them silently, so it is refused, with what to do, unless asked for.
TESTED_MOTO = ("5.2.1",)


def check_moto_version(version, allow_untested):
    """None when this moto may run under the patches, else why not and what to do."""
    if version in TESTED_MOTO or allow_untested:
        return None
    return (f"kfood-ops emulator: moto {version} is not a version its patches were tested with "
            f"({', '.join(TESTED_MOTO)}): pip install 'moto[server]=={TESTED_MOTO[-1]}', "
            "or set KFOOD_MOTO_UNTESTED=1 to try this one anyway")


if __name__ == "__main__":
    _refusal = check_moto_version(moto.__version__, os.environ.get("KFOOD_MOTO_UNTESTED") == "1")
    if _refusal:
        print(_refusal, file=sys.stderr, flush=True)
        sys.exit(3)

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
    if service == "cloudwatch" and action == "DescribeAlarms" and p("AlarmNames"):
        return [_arn(self, "cloudwatch", f"alarm:{n}") for n in p("AlarmNames")]
    if service == "applicationautoscaling" and action in ("RegisterScalableTarget", "PutScheduledAction",
                                                           "DeleteScheduledAction"):
        return [_scalable_target_arn(self, p("ScalableDimension"), p("ResourceId"))]
    if service == "logs" and action == "FilterLogEvents" and p("logGroupName"):
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

from moto.core.responses import ActionResult  # noqa: E402
from moto.rds.responses import RDSResponse  # noqa: E402
from moto.cloudwatch.responses import CloudWatchResponse  # noqa: E402

# RDS's default quotas (Service Quotas, "Amazon RDS"); the manual-snapshot one is the limit moto enforces
_RDS_QUOTAS = {"DBInstances": 40, "AllocatedStorage": 100000, "ManualSnapshots": None, "DBSubnetGroups": 50}


def _describe_account_attributes(self):
    used = {
        "DBInstances": len(self.backend.databases),
        "AllocatedStorage": sum(int(getattr(d, "allocated_storage", 0) or 0) for d in self.backend.databases.values()),
        "ManualSnapshots": sum(1 for s in self.backend.database_snapshots.values() if s.snapshot_type == "manual"),
        "DBSubnetGroups": len(self.backend.subnet_groups),
    }
    quotas = [{"AccountQuotaName": name, "Used": used[name],
               "Max": limit if limit is not None else self.backend.SNAPSHOT_QUOTA}
              for name, limit in _RDS_QUOTAS.items()]
    return ActionResult({"AccountQuotas": quotas})


RDSResponse.describe_account_attributes = _describe_account_attributes


def _as_datetime(value):
    """A time as moto or the request gives it (naive means UTC), aware in UTC; None stays None."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)


def _describe_alarm_history(self):
    name = self._get_param("AlarmName")
    kind = self._get_param("HistoryItemType")
    start, end = _as_datetime(self._get_param("StartDate")), _as_datetime(self._get_param("EndDate"))
    limit = int(self._get_param("MaxRecords") or 100)
    alarms = self.cloudwatch_backend.alarms
    items = []
    for alarm in ([alarms[name]] if name in alarms else [] if name else alarms.values()):
        # moto keeps, at each update, the state it left; the state it entered is the next one kept (or the current)
        before = [(h[3], h[4]) for h in alarm.history if h[0] == "StateUpdate"]
        after = before[1:] + [(alarm.state_value, alarm.state_updated_timestamp)]
        for (old, _), (new, at) in zip(before, after):
            at = _as_datetime(at)
            at = at.replace(microsecond=at.microsecond // 1000 * 1000)  # milliseconds, as AWS states change times
            items.append({"AlarmName": alarm.name, "AlarmType": "MetricAlarm", "Timestamp": at,
                          "HistoryItemType": "StateUpdate",
                          "HistorySummary": f"Alarm updated from {old} to {new}"})
    if kind and kind != "StateUpdate":
        items = []

    def within(at):
        return (start is None or at >= start) and (end is None or at <= end)

    items = sorted((i for i in items if within(i["Timestamp"])), key=lambda i: i["Timestamp"], reverse=True)
    return ActionResult({"AlarmHistoryItems": items[:limit]})


CloudWatchResponse.describe_alarm_history = _describe_alarm_history

import gzip  # noqa: E402
import io  # noqa: E402
import struct  # noqa: E402

import botocore.model  # noqa: E402
import botocore.session  # noqa: E402
from botocore import parsers as _parsers, serialize as _serialize  # noqa: E402
from moto.iam.access_control import IAMRequest  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication  # noqa: E402

_CBOR_PATH = re.compile(r"^/service/([A-Za-z0-9]+)/operation/([A-Za-z0-9]+)$")
_CBOR_SERVICES = {"GraniteServiceVersion20100801": "cloudwatch"}
_TRANSLATED = "X-Kfood-Ops-Translated"
_BOTOCORE = botocore.session.get_session()
_ERROR_SHAPE = botocore.model.StructureShape(
    "Error", {"type": "structure", "members": {"__type": {"shape": "S"}, "message": {"shape": "S"}}},
    botocore.model.ShapeResolver({"S": {"type": "string"}}))


class _ResponseCbor(_serialize.RpcV2CBORSerializer):
    """botocore's CBOR writer (made for requests), with timestamps to the millisecond as AWS answers them."""

    def _serialize_type_timestamp(self, serialized, value, shape, key):
        seconds = _as_datetime(value).timestamp()
        serialized.extend(self._get_initial_byte(self.TAG_MAJOR_TYPE, 1))  # tag 1: epoch-based time
        serialized.extend(self._get_initial_byte(self.FLOAT_AND_SIMPLE_MAJOR_TYPE, 27) + struct.pack(">d", seconds))


def _cbor(shape, value):
    out = bytearray()
    _ResponseCbor()._serialize_data_item(out, value, shape)
    return bytes(out)


def _via_json(app, environ, start_response, service, operation_name):
    operation = _BOTOCORE.get_service_model(service).operation_model(operation_name)
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if environ.get("HTTP_CONTENT_ENCODING") == "gzip":  # the SDKs compress large PutMetricData bodies
        body = gzip.decompress(body)
    params = {}
    if body and operation.input_shape is not None:
        params = _parsers.RpcV2CBORParser().parse({"body": body, "headers": {}, "status_code": 200},
                                                  operation.input_shape)
        params.pop("ResponseMetadata", None)
    # to the millisecond, as the caller sent them (a history query ending at a state change must include it)
    request = _serialize.JSONSerializer(_serialize.TIMESTAMP_PRECISION_MILLISECOND).serialize_to_request(
        params, operation)
    json_body = request["body"] if isinstance(request["body"], bytes) else request["body"].encode()
    inner = {k: v for k, v in environ.items() if k != "HTTP_CONTENT_ENCODING"}
    inner.update({"PATH_INFO": "/", "REQUEST_URI": "/", "RAW_URI": "/", "wsgi.input": io.BytesIO(json_body),
                  "CONTENT_LENGTH": str(len(json_body)), "CONTENT_TYPE": request["headers"]["Content-Type"],
                  "HTTP_X_AMZ_TARGET": request["headers"]["X-Amz-Target"],
                  "HTTP_" + _TRANSLATED.upper().replace("-", "_"): "cbor"})
    answer = {}

    def capture(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers
        return lambda data: None

    chunks = app(inner, capture)
    text = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    code = int(answer["status"].split()[0])
    if code < 300:
        out = {}
        if operation.output_shape is not None and text:
            out = _parsers.JSONParser().parse({"body": text, "headers": {}, "status_code": code},
                                              operation.output_shape)
            out.pop("ResponseMetadata", None)
        payload = _cbor(operation.output_shape, out) if operation.output_shape is not None else b"\xa0"
    else:
        try:
            error = json.loads(text or b"{}")
        except ValueError:
            error = {}
        kind = str(error.get("__type") or error.get("code") or "InternalFailure").split("#")[-1]
        payload = _cbor(_ERROR_SHAPE, {"__type": kind, "message": str(error.get("message") or error.get("Message") or "")})
    start_response(answer["status"], [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                                      ("Content-Length", str(len(payload)))])
    return [payload]


_dispatch = DomainDispatcherApplication.__call__

# ---------------------------------------------------------------- 6. the tags each request found
_TAGS_LOG = os.environ.get("KFOOD_IAM_TAGS_LOG")
_TAGS_REGIONS = [r for r in os.environ.get("KFOOD_IAM_TAGS_REGIONS", "").split(",") if r]
_tags_seen = {}


def _tag_state():
    """Every database's, snapshot's, secret's, cluster's and service's tags now, by ARN."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ecs.models import ecs_backends
    from moto.rds.models import rds_backends
    from moto.secretsmanager.models import secretsmanager_backends
    state = {}
    for region in _TAGS_REGIONS:
        rds_backend = rds_backends[DEFAULT_ACCOUNT_ID][region]
        for item in list(rds_backend.databases.values()) + list(rds_backend.database_snapshots.values()):
            state[item.arn] = {t["Key"]: t["Value"] for t in item.tags or []}
        for secret in secretsmanager_backends[DEFAULT_ACCOUNT_ID][region].secrets.values():
            state[secret.arn] = {t["Key"]: t["Value"] for t in getattr(secret, "tags", None) or []}
        ecs_backend = ecs_backends[DEFAULT_ACCOUNT_ID][region]
        for item in list(ecs_backend.clusters.values()) + list(ecs_backend.services.values()):
            state[item.arn] = {t["key"]: t["value"] for t in item.tags or []}
    return state


def _alias_state():
    """Scalable targets by namespace/resource/dimension: requests name them so, policies by their ARN."""
    from moto.applicationautoscaling.models import applicationautoscaling_backends
    from moto.core import DEFAULT_ACCOUNT_ID
    aliases = {}
    for region in _TAGS_REGIONS:
        for dimension, targets in applicationautoscaling_backends[DEFAULT_ACCOUNT_ID][region].targets.items():
            for resource_id, target in targets.items():
                aliases[f"{target.service_namespace}/{resource_id}/{dimension}"] = target.arn
    return aliases


def _log_tags(capture):
    """./ops iam-check: a request (named by the id its client gave it) and the tags that changed since
    the last one, a resource that is gone as null; the check replays them to know what each request found."""
    global _tags_seen
    state = _tag_state()
    changed = {arn: tags for arn, tags in state.items() if _tags_seen.get(arn) != tags}
    changed.update({arn: None for arn in _tags_seen if arn not in state})
    _tags_seen = state
    with open(_TAGS_LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps({"id": capture, "tags": changed, "aliases": _alias_state()}) + "\n")



def _dispatch_cbor_too(self, environ, start_response):
    capture = environ.get("HTTP_X_KFOOD_OPS_CAPTURE")
    if capture and _TAGS_LOG:
        _log_tags(capture)
    match = _CBOR_PATH.match(environ.get("PATH_INFO", ""))
    if match and match.group(1) in _CBOR_SERVICES:
        return _via_json(lambda e, s: _dispatch(self, e, s), environ, start_response,
                         _CBOR_SERVICES[match.group(1)], match.group(2))
    return _dispatch(self, environ, start_response)


DomainDispatcherApplication.__call__ = _dispatch_cbor_too
_check_signature = IAMRequest.check_signature


def _check_untranslated_signature(self):
    if self._headers.get(_TRANSLATED) is None:  # a translated request's signature covers its CBOR body
        _check_signature(self)


IAMRequest.check_signature = _check_untranslated_signature

# moto names the action by the signing name; IAM by the service prefix, which differs for CloudWatch
_IAM_PREFIX = {"monitoring": "cloudwatch"}
_iam_request_init = IAMRequest.__init__


def _iam_request_with_prefix(self, *args, **kwargs):
    _iam_request_init(self, *args, **kwargs)
    prefix = _IAM_PREFIX.get(self._service)
    if prefix:
        self._action = prefix + self._action[len(self._service):]


IAMRequest.__init__ = _iam_request_with_prefix

# ---------------------------------------------------------------- 5. what the operations report reads
import math  # noqa: E402

import moto.logs.models as _logs_models  # noqa: E402
from moto.cloudwatch.models import Dimension as _Dimension  # noqa: E402
from moto.cloudwatch.models import Statistics as _Statistics  # noqa: E402

_Dimension.__lt__ = lambda self, other: (self.name or "", self.value or "") < (other.name or "", other.value or "")

_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?)$")
_plain_statistic = _Statistics.get_statistics_for_type


def _statistic_with_percentiles(self, stat):
    match = _PERCENTILE.match(stat or "")
    if not match:
        return _plain_statistic(self, stat)
    values = sorted(self.metric_single_values_list)
    if not values:
        return None
    rank = max(1, math.ceil(float(match.group(1)) / 100 * len(values)))
    return values[rank - 1]


_Statistics.get_statistics_for_type = _statistic_with_percentiles

_INSIGHTS_STATS = re.compile(r"\|\s*stats\s+count\(\*\)\s+as\s+(\w+)(?:\s+by\s+(@?\w+))?", re.IGNORECASE)
_INSIGHTS_LIKE = re.compile(r"filter\s+@message\s+like\s+/(.*?)/", re.IGNORECASE)
_INSIGHTS_LIMIT = re.compile(r"\|\s*limit\s+(\d+)", re.IGNORECASE)
_plain_insights = _logs_models.execute_query


def _insights_with_stats(log_groups, query, start_time, end_time):
    stats = _INSIGHTS_STATS.search(query)
    if not stats:
        return _plain_insights(log_groups, query, start_time, end_time)
    like = _INSIGHTS_LIKE.search(query)
    pattern = re.compile(like.group(1)) if like else None
    name, by = stats.group(1), stats.group(2)
    counts = {}
    for group in log_groups:
        for stream in group.streams.values():
            for event in stream.events:
                # StartQuery's times are epoch seconds, inclusive at both ends
                if start_time and event.timestamp < start_time * 1000:
                    continue
                if end_time and event.timestamp > end_time * 1000 + 999:
                    continue
                if pattern and not pattern.search(event.message):
                    continue
                key = event.message if by == "@message" else group.name if by == "@log" else ""
                counts[key] = counts.get(key, 0) + 1
    if not by:
        return [{name: str(sum(counts.values()))}]
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    limit = _INSIGHTS_LIMIT.search(query)
    if limit:
        rows = rows[: int(limit.group(1))]
    return [{by: key, name: str(n)} for key, n in rows]


_logs_models.execute_query = _insights_with_stats


def _describe_pending_maintenance_actions(self):
    return ActionResult({"PendingMaintenanceActions": []})


RDSResponse.describe_pending_maintenance_actions = _describe_pending_maintenance_actions

_POSTGRES_MINORS = {
    "13": ["13.12", "13.13", "13.14", "13.15", "13.16", "13.18", "13.20"],
    "14": ["14.9", "14.10", "14.11", "14.12", "14.13", "14.15", "14.17"],
    "15": ["15.4", "15.5", "15.6", "15.7", "15.8", "15.10", "15.12"],
    "16": ["16.1", "16.2", "16.3", "16.4", "16.6", "16.8"],
    "17": ["17.1", "17.2", "17.4"],
}


def _describe_db_engine_versions(self):
    engine = self._get_param("Engine") or "postgres"
    wanted = self._get_param("EngineVersion")
    versions = []
    if engine == "postgres":
        majors = sorted(_POSTGRES_MINORS, key=int)
        for major in majors:
            minors = _POSTGRES_MINORS[major]
            for i, version in enumerate(minors):
                if wanted and version != wanted:
                    continue
                targets = [{"Engine": engine, "EngineVersion": v, "IsMajorVersionUpgrade": False,
                            "AutoUpgrade": False} for v in minors[i + 1:]]
                later = [m for m in majors if int(m) == int(major) + 1]
                if later:
                    targets.append({"Engine": engine, "EngineVersion": _POSTGRES_MINORS[later[0]][0],
                                    "IsMajorVersionUpgrade": True, "AutoUpgrade": False})
                versions.append({"Engine": engine, "EngineVersion": version,
                                 "DBParameterGroupFamily": "postgres" + major, "ValidUpgradeTarget": targets})
    return ActionResult({"DBEngineVersions": versions})


RDSResponse.describe_db_engine_versions = _describe_db_engine_versions


from moto.server import main  # noqa: E402  (after the patches, by design)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
