"""For ./ops iam-check, with KFOOD_IAM_TAGS_LOG set: each request that carries the check's id header
   is logged with the RDS and ECS resource tags that changed since the request before it, so the
   check's IAM engine sees the tags a request found (conditions on rds:db-tag/..., ResourceTag/...)
   even for a resource the same run later deletes.
"""
import json
import os

from moto.moto_server.werkzeug_app import DomainDispatcherApplication

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


def apply():
    """Wraps whatever dispatches requests now (the CBOR translation included), ahead of it."""
    dispatch = DomainDispatcherApplication.__call__

    def _dispatch_logging_tags(self, environ, start_response):
        capture = environ.get("HTTP_X_KFOOD_OPS_CAPTURE")
        if capture and _TAGS_LOG:
            _log_tags(capture)
        return dispatch(self, environ, start_response)

    DomainDispatcherApplication.__call__ = _dispatch_logging_tags
