package com.kfood.ops.snapshot;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.RdsSnapshots;
import com.kfood.ops.shared.backup.SnapshotTags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * One manual snapshot per configured database, named by the schedule time so a redelivered event
 * finds the snapshot it already made. Databases that are not available are skipped with the reason;
 * a failure on one database does not stop the others.
 */
public final class SnapshotPlan {
    /** RDS allows 50 tags per resource; ours take four (the configuration allows 40 copied keys at most). */
    private static final int MAX_TAGS = 50;

    private final RdsSnapshots rds;
    private final BackupConfig config;
    private final String creator;
    private final OpsLog log;

    public SnapshotPlan(RdsSnapshots rds, BackupConfig config, String creator, OpsLog log) {
        this.rds = rds;
        this.config = config;
        this.creator = creator;
        this.log = log;
    }

    /**
     * The configured databases as RDS describes them. Fails with a {@link ConfigException}, before
     * anything is changed, when any of them does not exist.
     */
    public Map<String, DBInstance> databases() {
        Map<String, DBInstance> found = rds.databases(config.dbInstanceIds()).stream()
                .collect(Collectors.toMap(
                        DBInstance::dbInstanceIdentifier, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<String> missing = config.dbInstanceIds().stream()
                .filter(id -> !found.containsKey(id))
                .toList();
        if (!missing.isEmpty()) {
            throw new ConfigException("DB_INSTANCE_IDS names databases that do not exist in this account and region: "
                    + String.join(", ", missing));
        }
        return found;
    }

    /** Each RDS call of a run, for SnapStart priming (stopped before sending). */
    Runnable[] primingCalls() {
        return rds.primingCalls();
    }

    public QuotaCheck quota(int toCreate) {
        try {
            return rds.manualSnapshotQuota()
                    .map(q -> QuotaCheck.of(q.used(), q.max(), toCreate))
                    .orElseGet(() -> QuotaCheck.unknown("RDS did not report a ManualSnapshots quota"));
        } catch (SdkException e) {
            return QuotaCheck.unknown(Errors.describe(e));
        }
    }

    public SnapshotOutcome snapshot(DBInstance db, Instant scheduledFor, boolean dryRun) {
        String dbId = db.dbInstanceIdentifier();
        String id = SnapshotTags.snapshotId(config.snapshotPrefix(), dbId, scheduledFor);
        try {
            var existing = find(id);
            if (existing != null) {
                return existing(dbId, existing);
            }
            if (!"available".equals(db.dbInstanceStatus())) {
                return new SnapshotOutcome(
                        dbId,
                        id,
                        SnapshotOutcome.Status.SKIPPED,
                        "database is " + db.dbInstanceStatus() + ", not available; the next run will try again");
            }
            if (dryRun) {
                return new SnapshotOutcome(dbId, id, SnapshotOutcome.Status.WOULD_CREATE, "dry run: nothing created");
            }
            try {
                DBSnapshot created = rds.create(dbId, id, tags(db, scheduledFor));
                log.info("snapshot created", "db", dbId, "snapshot", id, "status", created.status());
                return new SnapshotOutcome(dbId, id, SnapshotOutcome.Status.CREATED, "status " + created.status());
            } catch (DbSnapshotAlreadyExistsException e) {
                // a concurrent delivery of the same event won the race, or our own lost attempt: judge what exists
                return existing(dbId, find(id));
            } catch (SdkClientException e) {
                // the answer was lost (reset, timeout): RDS may have made it all the same
                DBSnapshot made = find(id);
                if (made == null) {
                    throw e;
                }
                SnapshotOutcome outcome = existing(dbId, made);
                return outcome.status() == SnapshotOutcome.Status.ALREADY_EXISTS
                        ? new SnapshotOutcome(
                                dbId,
                                id,
                                SnapshotOutcome.Status.CREATED,
                                "status " + made.status() + " (confirmed after a lost answer)")
                        : outcome;
            }
        } catch (SdkException e) {
            log.error("snapshot failed", "db", dbId, "snapshot", id, "error", Errors.describe(e));
            return new SnapshotOutcome(dbId, id, SnapshotOutcome.Status.FAILED, Errors.describe(e));
        }
    }

    private DBSnapshot find(String id) {
        return rds.snapshot(id).orElse(null);
    }

    private SnapshotOutcome existing(String dbId, DBSnapshot snapshot) {
        String owner = snapshot.tagList().stream()
                .filter(t -> SnapshotTags.MANAGED_BY.equals(t.key()))
                .map(Tag::value)
                .findFirst()
                .orElse(null);
        if (!config.managedBy().equals(owner)) {
            return new SnapshotOutcome(
                    dbId,
                    snapshot.dbSnapshotIdentifier(),
                    SnapshotOutcome.Status.FAILED,
                    "a snapshot with this name exists but was not created by stack " + config.managedBy()
                            + (owner == null ? " (no ManagedBy tag)" : " (ManagedBy=" + owner + ")")
                            + "; no snapshot taken");
        }
        return new SnapshotOutcome(
                dbId,
                snapshot.dbSnapshotIdentifier(),
                SnapshotOutcome.Status.ALREADY_EXISTS,
                "taken by an earlier delivery of this schedule (status " + snapshot.status() + ")");
    }

    private List<Tag> tags(DBInstance db, Instant scheduledFor) {
        List<Tag> tags = new ArrayList<>(List.of(
                Tag.builder()
                        .key(SnapshotTags.MANAGED_BY)
                        .value(config.managedBy())
                        .build(),
                Tag.builder().key(SnapshotTags.CREATED_BY).value(creator).build(),
                Tag.builder()
                        .key(SnapshotTags.RETENTION_DAYS)
                        .value(String.valueOf(config.retentionDays()))
                        .build(),
                Tag.builder()
                        .key(SnapshotTags.SCHEDULED_FOR)
                        .value(scheduledFor.toString())
                        .build()));
        // only the keys the configuration names: the role's aws:TagKeys condition lists exactly ours
        // and those, and AWS refuses the whole snapshot for one key more
        for (Tag tag : db.tagList()) {
            if (config.copiedTagKeys().contains(tag.key()) && tags.size() < MAX_TAGS) {
                tags.add(tag);
            }
        }
        return tags;
    }
}
