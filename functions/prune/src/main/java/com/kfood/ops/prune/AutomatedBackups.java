package com.kfood.ops.prune;

import com.kfood.ops.shared.Env;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The databases' own automated backups, which point-in-time recovery restores from: each must keep
 * {@code minRetentionDays} (the plan's 30) and be restorable to within {@code maxLag} of now (RDS
 * archives transaction logs every five minutes; a LatestRestorableTime far behind means they stopped).
 */
record AutomatedBackups(int minRetentionDays, Duration maxLag) {
    /** One database's automated backups as RDS describes them now. */
    public record Watch(
            String db, Status status, Integer retentionDays, String latestRestorableTime, Double lagMinutes) {
        String describe() {
            return status + ": " + (retentionDays == null ? "?" : retentionDays) + " days kept"
                    + (latestRestorableTime == null
                            ? ", no restorable time"
                            : ", restorable to " + latestRestorableTime + " (" + lagMinutes + " min ago)");
        }

        public enum Status {
            OK,
            OFF,
            RETENTION_SHORT,
            BEHIND
        }
    }

    static AutomatedBackups from(Env env) {
        return new AutomatedBackups(
                env.integer("AUTOMATED_BACKUP_DAYS", 30, 1, 35),
                Duration.ofMinutes(env.integer("PITR_LAG_MINUTES_MAX", 15, 5, 1440)));
    }

    List<Watch> judge(List<DBInstance> databases, Instant now) {
        return databases.stream().map(db -> judge(db, now)).toList();
    }

    private Watch judge(DBInstance db, Instant now) {
        Integer days = db.backupRetentionPeriod();
        Instant latest = db.latestRestorableTime();
        Double lag =
                latest == null ? null : Math.round(Duration.between(latest, now).toSeconds() / 6.0) / 10.0;
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
        return new Watch(db.dbInstanceIdentifier(), status, days, latest == null ? null : latest.toString(), lag);
    }
}
