"""Two calls moto lacks, answered as AWS documents them, so the product's code paths for them run end
   to end: rds:DescribeAccountAttributes (AccountQuotas; ManualSnapshots counts the region's manual
   snapshots against MOTO_RDS_SNAPSHOT_LIMIT, the same limit moto enforces) and
   cloudwatch:DescribeAlarmHistory (StateUpdate items from the state changes moto keeps for each
   alarm, newest first, "Alarm updated from OK to ALARM" as AWS words them).
"""
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult
from moto.rds.responses import RDSResponse

from wrapper_util import as_datetime

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


def _describe_alarm_history(self):
    name = self._get_param("AlarmName")
    kind = self._get_param("HistoryItemType")
    start, end = as_datetime(self._get_param("StartDate")), as_datetime(self._get_param("EndDate"))
    limit = int(self._get_param("MaxRecords") or 100)
    alarms = self.cloudwatch_backend.alarms
    items = []
    for alarm in ([alarms[name]] if name in alarms else [] if name else alarms.values()):
        # moto keeps, at each update, the state it left; the state it entered is the next one kept (or the current)
        before = [(h[3], h[4]) for h in alarm.history if h[0] == "StateUpdate"]
        after = before[1:] + [(alarm.state_value, alarm.state_updated_timestamp)]
        for (old, _), (new, at) in zip(before, after):
            at = as_datetime(at)
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


def apply():
    RDSResponse.describe_account_attributes = _describe_account_attributes
    CloudWatchResponse.describe_alarm_history = _describe_alarm_history
