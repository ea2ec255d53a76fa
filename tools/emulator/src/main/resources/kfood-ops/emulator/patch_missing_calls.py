"""Calls moto lacks, answered as AWS documents them, so the product's code paths for them run end
   to end: rds:StartDBInstanceAutomatedBackupsReplication (called in the destination region with the
   source database's ARN; the replication is recorded there, and that region's
   DescribeDBInstanceAutomatedBackups then lists it with the source's ARN, Region and status
   "replicating", beside moto's own automated backups, as AWS lists a replicated backup),
   rds:DescribeAccountAttributes (AccountQuotas; ManualSnapshots counts the region's manual
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


# (account, destination region) -> {source database ARN: replication}
_REPLICATIONS = {}


def _start_automated_backups_replication(self):
    source = self._get_param("SourceDBInstanceArn")
    parts = (source or "").split(":")
    if len(parts) < 7 or parts[2] != "rds" or parts[5] != "db":
        from moto.rds.exceptions import InvalidParameterValue
        raise InvalidParameterValue(f"SourceDBInstanceArn is not a DB instance ARN: {source}")
    retention = int(self._get_param("BackupRetentionPeriod") or 7)
    replica = {
        "DBInstanceArn": source,
        "DbiResourceId": "db-" + parts[6].upper(),
        "Region": parts[3],
        "DBInstanceIdentifier": parts[6],
        "Status": "replicating",
        "BackupRetentionPeriod": retention,
        "DBInstanceAutomatedBackupsArn": f"arn:aws:rds:{self.region}:{self.current_account}:auto-backup:ab-{parts[6]}",
    }
    kms = self._get_param("KmsKeyId")
    if kms:
        replica["KmsKeyId"] = kms
    _REPLICATIONS.setdefault((self.current_account, self.region), {})[source] = replica
    return ActionResult({"DBInstanceAutomatedBackup": replica})


_describe_automated_backups = RDSResponse.describe_db_instance_automated_backups


def _describe_automated_backups_with_replicas(self):
    own = _describe_automated_backups(self)
    replicas = list(_REPLICATIONS.get((self.current_account, self.region), {}).values())
    if not replicas:
        return own
    listed = [{"DBInstanceIdentifier": b.db_instance_identifier, "Status": b.status}
              for b in self.backend.describe_db_instance_automated_backups()]
    return ActionResult({"DBInstanceAutomatedBackups": listed + replicas})


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
    RDSResponse.start_db_instance_automated_backups_replication = _start_automated_backups_replication
    RDSResponse.describe_db_instance_automated_backups = _describe_automated_backups_with_replicas
    CloudWatchResponse.describe_alarm_history = _describe_alarm_history
