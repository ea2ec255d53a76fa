package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.RdsSnapshots;
import com.kfood.ops.shared.backup.SnapshotTags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;

/**
 * Copies of our snapshots in the disaster-recovery region, made by RDS (CopyDBSnapshot, re-encrypted
 * with the DR region's key, our tags carried over). A copy has its source's id, so a redelivered event or a
 * second pass finds it and copies nothing twice. RDS runs 20 cross-region copies at most in flight
 * per destination and one at a time per source instance: a copy that would pass either, or that RDS
 * refuses for a quota, waits for the next pass, and is not a failure.
 */
public final class DrCopies {
    static final int MAX_IN_FLIGHT = 20;

    private final RdsSnapshots source;
    private final RdsSnapshots dr;
    private final BackupConfig config;
    private final String sourceRegion;
    private final String drRegion;
    private final OpsLog log;

    public DrCopies(RdsSnapshots source, RdsSnapshots dr, BackupConfig config, String sourceRegion, OpsLog log) {
        this.source = source;
        this.dr = dr;
        this.config = config;
        this.sourceRegion = sourceRegion;
        this.drRegion = config.drRegion().orElseThrow();
        this.log = log;
    }

    /** What became of one snapshot's copy. */
    public record Copy(String snapshot, Status status, String detail) {
        public enum Status {
            COPIED,
            ALREADY_COPIED,
            WOULD_COPY,
            WAITING,
            FAILED
        }
    }

    /**
     * The databases' automated backups replicated to the DR region (REPLICATE_AUTOMATED_BACKUPS), so
     * the DR region can restore to a point in time too: started once for a database not yet
     * replicated there, said as already running otherwise. RDS supports it between some region pairs
     * only; a refusal is a failure with RDS's words.
     */
    public List<Copy> replicateAutomatedBackups(Collection<DBInstance> databases, boolean dryRun) {
        if (!config.replicateAutomatedBackups()) {
            return List.of();
        }
        Set<String> replicated = new HashSet<>();
        dr.automatedBackups().forEach(b -> replicated.add(b.dbInstanceArn()));
        List<Copy> out = new ArrayList<>();
        for (DBInstance db : databases) {
            String what = "automated backups of " + db.dbInstanceIdentifier();
            Integer days = db.backupRetentionPeriod();
            if (replicated.contains(db.dbInstanceArn())) {
                out.add(new Copy(what, Copy.Status.ALREADY_COPIED, "replicated to " + drRegion));
            } else if (days == null || days < 1) {
                out.add(new Copy(
                        what, Copy.Status.FAILED, "no automated backups to replicate (BackupRetentionPeriod 0)"));
            } else if (dryRun) {
                out.add(new Copy(what, Copy.Status.WOULD_COPY, "would start replicating them to " + drRegion));
            } else {
                out.add(startReplication(db, what, days));
            }
        }
        return out;
    }

    private Copy startReplication(DBInstance db, String what, int days) {
        try {
            // an encrypted source needs a key of the DR region (DrKmsKeyArn); RDS refuses otherwise and says so
            dr.replicateAutomatedBackups(
                    db.dbInstanceArn(),
                    days,
                    Boolean.TRUE.equals(db.storageEncrypted()) ? config.drKmsKeyId() : Optional.empty());
            log.info("automated backup replication started", "db", db.dbInstanceIdentifier(), "to", drRegion);
            return new Copy(
                    what, Copy.Status.COPIED, "replication to " + drRegion + " started, " + days + " days kept");
        } catch (SdkException e) {
            return new Copy(what, Copy.Status.FAILED, "replication refused: " + Errors.describe(e));
        }
    }

    /** The DR region's calls (the home region's are the snapshot plan's, on the same client). */
    Runnable[] primingCalls() {
        return dr.primingCalls();
    }

    /** The copy of one snapshot RDS reported available (its EventBridge event); none if it is not ours. */
    public List<Copy> copy(String snapshotId, boolean dryRun, Instant now) {
        return source.snapshot(snapshotId)
                .map(found -> copyMissing(List.of(found), dryRun, now))
                .orElseGet(() ->
                        List.of(new Copy(snapshotId, Copy.Status.FAILED, "the snapshot is gone: nothing to copy")));
    }

    /**
     * The catch-up pass: every available snapshot of ours within the DR retention that has no copy
     * yet, against the DR region's copies as listed a moment ago (while the snapshots were taken): a
     * copy made since then is met as already there when this pass starts it.
     */
    public List<Copy> catchUp(Map<String, DBSnapshot> copiesInDr, boolean dryRun, Instant now) {
        return copyMissing(manualSnapshots(source), copiesInDr, dryRun, now);
    }

    private List<Copy> copyMissing(List<DBSnapshot> candidates, boolean dryRun, Instant now) {
        return copyMissing(candidates, copiesInDr(), dryRun, now);
    }

    private List<Copy> copyMissing(
            List<DBSnapshot> candidates, Map<String, DBSnapshot> copies, boolean dryRun, Instant now) {
        int inFlight = 0;
        Set<String> dbsInFlight = new HashSet<>();
        for (DBSnapshot c : copies.values()) {
            if (!"available".equals(c.status())) {
                inFlight++;
                dbsInFlight.add(c.dbInstanceIdentifier());
            }
        }
        List<Copy> out = new ArrayList<>();
        List<DBSnapshot> due = candidates.stream()
                .filter(s -> isOurs(s) && "available".equals(s.status()) && withinRetention(s, now))
                .sorted(Comparator.comparing(DBSnapshot::snapshotCreateTime).reversed()) // the newest first
                .toList();
        for (DBSnapshot s : due) {
            String id = s.dbSnapshotIdentifier();
            if (copies.containsKey(id)) {
                out.add(new Copy(id, Copy.Status.ALREADY_COPIED, copies.get(id).status()));
            } else if (dryRun) {
                out.add(new Copy(id, Copy.Status.WOULD_COPY, "would copy to " + drRegion));
            } else if (inFlight >= MAX_IN_FLIGHT) {
                out.add(new Copy(id, Copy.Status.WAITING, MAX_IN_FLIGHT + " copies to " + drRegion + " in flight"));
            } else if (dbsInFlight.contains(s.dbInstanceIdentifier())) {
                out.add(new Copy(
                        id,
                        Copy.Status.WAITING,
                        "a copy of " + s.dbInstanceIdentifier()
                                + " is in flight (RDS copies one at a time per instance)"));
            } else {
                Copy copy = start(s);
                out.add(copy);
                if (copy.status() == Copy.Status.COPIED && !"available".equals(copy.detail())) {
                    inFlight++;
                    dbsInFlight.add(s.dbInstanceIdentifier());
                }
            }
        }
        return out;
    }

    private Copy start(DBSnapshot s) {
        String id = s.dbSnapshotIdentifier();
        try {
            DBSnapshot copy = dr.copy(new RdsSnapshots.CopyRequest(
                    s.dbSnapshotArn(),
                    sourceRegion,
                    id,
                    // the snapshot's own tags of ours, given (not CopyTags): IAM then sees the copy
                    // marked ours; never a drill's in-use mark (the copy is no drill's)
                    s.tagList().stream()
                            .filter(t -> SnapshotTags.COPIED_TO_DR.contains(t.key()))
                            .toList(),
                    config.drKmsKeyId()));
            log.info("snapshot copy started", "snapshot", id, "region", drRegion, "status", copy.status());
            return new Copy(id, Copy.Status.COPIED, copy.status());
        } catch (DbSnapshotAlreadyExistsException e) {
            return new Copy(id, Copy.Status.ALREADY_COPIED, "copied by an earlier pass");
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null
                    ? ""
                    : String.valueOf(e.awsErrorDetails().errorCode());
            if (code.contains("QuotaExceeded") || code.contains("LimitExceeded") || e.isThrottlingException()) {
                return new Copy(id, Copy.Status.WAITING, "RDS refused for now (" + code + "): the next pass retries");
            }
            return new Copy(id, Copy.Status.FAILED, Errors.describe(e));
        } catch (SdkException e) {
            return new Copy(id, Copy.Status.FAILED, Errors.describe(e));
        }
    }

    /** The DR region's manual snapshots of our databases, by id. */
    Map<String, DBSnapshot> copiesInDr() {
        Map<String, DBSnapshot> out = new HashMap<>();
        manualSnapshots(dr).forEach(s -> out.put(s.dbSnapshotIdentifier(), s));
        return out;
    }

    /** A region's manual snapshots of our databases. */
    private List<DBSnapshot> manualSnapshots(RdsSnapshots region) {
        return region.manualSnapshots(config.dbInstanceIds());
    }

    private boolean isOurs(DBSnapshot s) {
        return config.dbInstanceIds().contains(s.dbInstanceIdentifier())
                && s.tagList().stream()
                        .anyMatch(t -> SnapshotTags.MANAGED_BY.equals(t.key())
                                && config.managedBy().equals(t.value()))
                && SnapshotTags.isOurName(config.snapshotPrefix(), s.dbInstanceIdentifier(), s.dbSnapshotIdentifier());
    }

    private boolean withinRetention(DBSnapshot s, Instant now) {
        return s.snapshotCreateTime() != null
                && Duration.between(s.snapshotCreateTime(), now).compareTo(Duration.ofDays(config.drRetentionDays()))
                        < 0;
    }
}
