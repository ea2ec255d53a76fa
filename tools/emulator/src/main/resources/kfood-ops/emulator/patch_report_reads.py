"""What the operations report reads and moto leaves out: percentile statistics (pNN) in
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
"""
import math
import re

import moto.logs.models as _logs_models
from moto.cloudwatch.models import Dimension as _Dimension
from moto.cloudwatch.models import Statistics as _Statistics
from moto.core.responses import ActionResult
from moto.rds.responses import RDSResponse

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




def _describe_pending_maintenance_actions(self):
    return ActionResult({"PendingMaintenanceActions": []})



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


def apply():
    # CloudWatch ignores the order of a query's dimensions; moto's Dimension ordered name against value
    _Dimension.__lt__ = lambda self, other: (self.name or "", self.value or "") < (other.name or "", other.value or "")
    _Statistics.get_statistics_for_type = _statistic_with_percentiles
    _logs_models.execute_query = _insights_with_stats
    RDSResponse.describe_pending_maintenance_actions = _describe_pending_maintenance_actions
    RDSResponse.describe_db_engine_versions = _describe_db_engine_versions
