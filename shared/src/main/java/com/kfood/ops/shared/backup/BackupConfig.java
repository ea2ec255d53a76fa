package com.kfood.ops.shared.backup;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Text;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The backup functions' configuration (the environment names are a contract with the template).
 * Invalid values fail here, at init, before any AWS call. Retention is in tiers: dailies for
 * {@code retentionDays}, each week's first snapshot for {@code weeklyRetentionWeeks}, each month's
 * first for {@code monthlyRetentionMonths} (0: the tier is off), weeks and months as the calendar of
 * {@code retentionZone} has them (the platform's, where the schedule runs at 03:00). With
 * {@code drRegion}, each snapshot of ours is copied there (re-encrypted with {@code drKmsKeyId}, RDS's
 * AWS managed key there unless one is given) and kept {@code drRetentionDays}. Uploads larger than {@code multipartCopyThresholdBytes}
 * are copied in parts. A snapshot carries this stack's tags and, only if named in {@code copiedTagKeys},
 * those of the database's own tags (the snapshot role's aws:TagKeys condition lists the same keys: a
 * tag it does not list would have AWS refuse the snapshot).
 */
public record BackupConfig(
        List<String> dbInstanceIds,
        int retentionDays,
        int weeklyRetentionWeeks,
        int monthlyRetentionMonths,
        ZoneId retentionZone,
        int minSnapshotsKept,
        String snapshotPrefix,
        Optional<String> sourceBucket,
        String sourcePrefix,
        Optional<String> backupBucket,
        String managedBy,
        boolean dryRun,
        int copyConcurrency,
        long multipartCopyThresholdBytes,
        int pruneConcurrency,
        Duration maxBackupAge,
        Duration deadlineMargin,
        Optional<String> drRegion,
        Optional<String> drKmsKeyId,
        int drRetentionDays,
        List<String> copiedTagKeys,
        boolean replicateAutomatedBackups,
        int automatedBackupDays,
        Duration pitrLagMax) {

    /**
     * How old the DR region's newest copy may be: a day more than the home snapshot's limit (the
     * copy follows the snapshot). The prune's freshness check and the report judge by it alike.
     */
    public Duration drMaxBackupAge() {
        return maxBackupAge.plus(Duration.ofHours(24));
    }

    /** RDS's AWS managed key, by alias: resolved in the region the copy is made in. */
    public static final String RDS_MANAGED_KEY = "alias/aws/rds";

    /** RDS identifiers: a letter, then letters, digits and single hyphens, no trailing hyphen. */
    private static final Pattern DB_ID = Pattern.compile("[A-Za-z](?:-?[A-Za-z0-9])*");

    private static final Pattern PREFIX = Pattern.compile("[a-z](?:-?[a-z0-9]){0,29}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    /** RDS tag keys (no spaces here: the list is comma-separated); aws: and rds: are AWS's own. */
    private static final Pattern TAG_KEY = Pattern.compile("(?!aws:|rds:)[\\p{L}\\p{N}_.:/=+@-]{1,128}");

    public static BackupConfig from(Env env) {
        List<String> dbs = env.list("DB_INSTANCE_IDS", DB_ID, "RDS instance identifier");
        if (dbs.isEmpty()) {
            throw new ConfigException("DB_INSTANCE_IDS is required: the comma-separated RDS instances to back up");
        }
        String prefix = env.string("SNAPSHOT_PREFIX", "kfood-ops");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new ConfigException(
                    "SNAPSHOT_PREFIX must be 1-30 lowercase letters, digits and single hyphens, starting with a letter; got '"
                            + Text.printable(prefix, 40) + "'");
        }
        Optional<String> source = env.optional("BACKUP_SOURCE_BUCKET").map(b -> bucket("BACKUP_SOURCE_BUCKET", b));
        Optional<String> target = env.optional("BACKUP_BUCKET").map(b -> bucket("BACKUP_BUCKET", b));
        if (source.isPresent() != target.isPresent()) {
            throw new ConfigException(
                    "BACKUP_SOURCE_BUCKET and BACKUP_BUCKET go together: set both to back up uploads, or neither");
        }
        if (source.isPresent() && source.equals(target)) {
            throw new ConfigException("BACKUP_BUCKET must differ from BACKUP_SOURCE_BUCKET");
        }
        int retentionDays = env.integer("RETENTION_DAYS", 30, 1, 3650);
        Optional<String> drRegion = env.optional("DR_REGION").filter(r -> !r.isBlank());
        drRegion.ifPresent(r -> {
            if (!REGION.matcher(r).matches()) {
                throw new ConfigException("DR_REGION is not an AWS region: '" + Text.printable(r, 40) + "'");
            }
            if (r.equals(env.optional("AWS_REGION").orElse(""))) {
                throw new ConfigException("DR_REGION must be another region than the one it protects (" + r + ")");
            }
        });
        return new BackupConfig(
                dbs,
                retentionDays,
                env.integer("WEEKLY_RETENTION_WEEKS", 0, 0, 520),
                env.integer("MONTHLY_RETENTION_MONTHS", 0, 0, 120),
                env.zone("RETENTION_TIME_ZONE", "Asia/Seoul"),
                env.integer("MIN_SNAPSHOTS_KEPT", 7, 1, 100),
                prefix,
                source,
                env.string("BACKUP_SOURCE_PREFIX", ""),
                target,
                env.required("STACK_NAME"),
                env.bool("DRY_RUN", false),
                env.integer("COPY_CONCURRENCY", 16, 1, 64),
                // larger objects are copied in parts: CopyObject's limit is 5 GiB; lower only to test
                // the multipart path or for faster copies of large objects (parts go at once)
                env.integer("MULTIPART_COPY_THRESHOLD_MIB", 5120, 10, 5120) * 1024L * 1024L,
                env.integer("PRUNE_CONCURRENCY", 4, 1, 16),
                Duration.ofHours(env.integer("MAX_BACKUP_AGE_HOURS", 26, 1, 24 * 14)),
                // time kept free before Lambda's deadline: both functions stop and report what is left
                Duration.ofSeconds(env.integer("DEADLINE_MARGIN_SECONDS", 20, 1, 300)),
                drRegion,
                // RDS refuses a cross-region copy of an encrypted snapshot that names no key of the
                // destination: without one of ours, RDS's AWS managed key there
                env.optional("DR_KMS_KEY_ID").filter(k -> !k.isBlank()).or(() -> drRegion.map(r -> RDS_MANAGED_KEY)),
                env.integer("DR_RETENTION_DAYS", retentionDays, 1, 3650),
                copiedTagKeys(env),
                // the DR region restores to a point in time too: RDS replicates the automated backups there
                drRegion.isPresent() && env.bool("REPLICATE_AUTOMATED_BACKUPS", false),
                // what point-in-time recovery needs of the automated backups (AutomatedBackups)
                env.integer("AUTOMATED_BACKUP_DAYS", 30, 1, 35),
                Duration.ofMinutes(env.integer("PITR_LAG_MINUTES_MAX", 15, 5, 1440)));
    }

    /** The database tag keys a snapshot also carries: none unless named, never one of ours. */
    private static List<String> copiedTagKeys(Env env) {
        List<String> keys = env.list("SNAPSHOT_COPIED_TAG_KEYS", TAG_KEY, "RDS tag key (not aws: or rds:)");
        for (String key : keys) {
            if (key.equals(SnapshotTags.MANAGED_BY) || key.startsWith("kfood-ops:")) {
                throw new ConfigException("SNAPSHOT_COPIED_TAG_KEYS names " + key
                        + ", one of the stack's own tags: only the database's own tags can be copied");
            }
        }
        if (keys.size() > 40) {
            throw new ConfigException("SNAPSHOT_COPIED_TAG_KEYS names " + keys.size()
                    + " keys: RDS allows 50 tags per snapshot and the stack's take up to 10");
        }
        return keys;
    }

    private static String bucket(String name, String value) {
        if (!BUCKET.matcher(value).matches()) {
            throw new ConfigException(name + " is not a valid S3 bucket name: '" + Text.printable(value, 80) + "'");
        }
        return value;
    }
}
