package com.kfood.ops.shared.backup;

import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.OpsMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The databases' own automated backups, which point-in-time recovery restores from: each must keep
 * {@code minRetentionDays} (the plan's 30) and be restorable to within {@code maxLag} of now (RDS
 * archives transaction logs every five minutes; a LatestRestorableTime far behind means they stopped).
 */
public record AutomatedBackups(int minRetentionDays, Duration maxLag) {
    /** One database's automated backups as RDS describes them now. */
    public record Watch(
            String db,
            Status status,
            Integer retentionDays,
            String latestRestorableTime,
            Double lagMinutes,
            String drReplication) {
        public String describe() {
            return status + ": " + (retentionDays == null ? "?" : retentionDays) + " days kept"
                    + (latestRestorableTime == null
                            ? ", no restorable time"
                            : ", restorable to " + latestRestorableTime + " (" + lagMinutes + " min ago)")
                    + (drReplication == null ? "" : "; " + drReplication);
        }

        public enum Status {
            OK,
            OFF,
            RETENTION_SHORT,
            BEHIND
        }
    }

    /** The limits of {@code config} (AUTOMATED_BACKUP_DAYS, PITR_LAG_MINUTES_MAX): the prune and the report judge alike. */
    public static AutomatedBackups of(BackupConfig config) {
        return new AutomatedBackups(config.automatedBackupDays(), config.pitrLagMax());
    }

    /**
     * What the DR region holds of the databases' automated backups: each replicated one's status by
     * its source database's ARN ({@code DescribeDBInstanceAutomatedBackups} there); {@code unreadable}
     * when the region could not be asked.
     */
    public record Replication(String region, Map<String, String> statusBySourceArn, String unreadable) {
        /** The DR region's automated backups, or why they could not be read. */
        public static Replication read(String region, RdsSnapshots rds) {
            try {
                Map<String, String> status = new TreeMap<>();
                rds.automatedBackups().forEach(b -> status.put(b.dbInstanceArn(), b.status()));
                return new Replication(region, status, null);
            } catch (SdkException e) {
                return new Replication(region, Map.of(), Errors.describe(e));
            }
        }

        String of(DBInstance db) {
            if (unreadable != null) {
                return "replication to " + region + " unknown: " + unreadable;
            }
            String status = statusBySourceArn.get(db.dbInstanceArn());
            return status == null
                    ? "not replicated to " + region + " (REPLICATE_AUTOMATED_BACKUPS turns it on)"
                    : "replicated to " + region + " (" + status + ")";
        }
    }

    /** The automated backups' metrics (retention, how far behind now they restore); returns the problems. */
    public static long record(List<Watch> watches, OpsMetrics metrics) {
        long problems =
                watches.stream().filter(w -> w.status() != Watch.Status.OK).count();
        metrics.count("AutomatedBackupProblems", problems);
        for (Watch w : watches) {
            Map<String, String> db = Map.of("DBInstanceIdentifier", w.db());
            if (w.retentionDays() != null) {
                metrics.put("AutomatedBackupRetentionDays", w.retentionDays(), OpsMetrics.Unit.NONE, db);
            }
            if (w.lagMinutes() != null) {
                metrics.put("PitrLagMinutes", w.lagMinutes(), OpsMetrics.Unit.NONE, db);
            }
        }
        return problems;
    }

    public List<Watch> judge(List<DBInstance> databases, Instant now, Optional<Replication> dr) {
        return databases.stream()
                .map(db -> judge(db, now, dr.map(r -> r.of(db)).orElse(null)))
                .toList();
    }

    /** One database's automated backups; {@code drReplication} says what the DR region holds, or null. */
    public Watch judge(DBInstance db, Instant now, String drReplication) {
        Integer days = db.backupRetentionPeriod();
        Instant latest = db.latestRestorableTime();
        // RDS's clock may be a moment ahead of ours: never a negative lag
        Double lag = latest == null
                ? null
                : Math.round(Math.max(0, Duration.between(latest, now).toSeconds()) / 6.0) / 10.0;
        Watch.Status status;
        if (days == null || days < 1) {
            status = Watch.Status.OFF;
        } else if (days < minRetentionDays) {
            status = Watch.Status.RETENTION_SHORT;
        } else if (latest == null || Duration.between(latest, now).compareTo(maxLag) > 0) {
            status = Watch.Status.BEHIND;
        } else {
            status = Watch.Status.OK;
        }
        return new Watch(
                db.dbInstanceIdentifier(), status, days, latest == null ? null : latest.toString(), lag, drReplication);
    }
}
