package com.kfood.ops.report;

import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.ManagedSnapshot;
import com.kfood.ops.shared.backup.RetentionPolicy;
import com.kfood.ops.shared.backup.RetentionTiers;
import com.kfood.ops.shared.backup.SnapshotTags;
import com.kfood.ops.shared.backup.UploadsManifests;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups and DR: per database the newest snapshot's age and the snapshots kept per retention tier
 * (the prune's own rules), the newest DR copy's age, the uploads backup's newest manifest and copy
 * failures, and the recovery side ({@link RecoveryFacts}): each drill mode's last result and
 * recovery point, the automated backups, the uploads verification.
 */
final class BackupsSource extends Source {
    private final BackupConfig backup;
    private final ReportReads reads;
    private final Optional<String> stateBucket;
    private final String namespace;
    private final Instant now;
    private String copyFailures;

    BackupsSource(BackupConfig backup, ReportReads reads, Optional<String> stateBucket, String namespace, Instant now) {
        super("backups", "Backups and DR", EnumSet.of(ReportKind.WEEKLY, ReportKind.MONTHLY));
        this.backup = backup;
        this.reads = reads;
        this.stateBucket = stateBucket;
        this.namespace = namespace;
        this.now = now;
    }

    @Override
    void plan(Metrics metrics) {
        copyFailures = metrics.total(
                new Metrics.Metric(namespace, "ObjectCopyFailures", Map.of("Service", "SnapshotFunction")), "Sum");
    }

    @Override
    Section build(Metrics metrics) {
        Section.Builder section = new Section.Builder(key(), title());
        RetentionPolicy policy = new RetentionPolicy(backup);
        for (String db : backup.dbInstanceIds()) {
            try {
                snapshots(section, db, manual(reads, db), policy);
            } catch (RuntimeException e) {
                section.item(Item.unavailable("snapshots " + db, Problems.describe(e)));
            }
            if (backup.drRegion().isEmpty()) {
                section.item(Item.of("DR copies " + db, "not configured (DR_REGION is empty)", Verdict.OK));
            } else {
                try {
                    drCopies(section, db, ours(db));
                } catch (RuntimeException e) {
                    section.item(Item.unavailable("DR copies " + db, Problems.describe(e)));
                }
            }
        }
        uploads(section, metrics);
        new RecoveryFacts(backup, reads, stateBucket, now).add(section);
        return section.build();
    }

    /** Our available copies of the database's snapshots in the DR region. */
    private List<DBSnapshot> ours(String db) {
        return reads.manualSnapshots(db, true).stream()
                .filter(s -> SnapshotTags.isOurName(backup.snapshotPrefix(), db, s.dbSnapshotIdentifier()))
                .filter(s -> "available".equals(s.status()))
                .toList();
    }

    /** The database's manual snapshots as the prune judges them (tags from the same response). */
    private static List<ManagedSnapshot> manual(ReportReads reads, String db) {
        return reads.manualSnapshots(db, false).stream()
                .map(ManagedSnapshot::of)
                .toList();
    }

    /**
     * The newest snapshot's age against the prune's own limit, and the snapshots per tier with those
     * due for the prune: judged by the prune's {@link RetentionPolicy}, so both say the same.
     */
    private void snapshots(Section.Builder section, String db, List<ManagedSnapshot> manual, RetentionPolicy policy) {
        List<RetentionPolicy.Verdict> verdicts = policy.judge(manual, now).stream()
                .filter(v -> policy.isOurs(v.snapshot())
                        && "available".equals(v.snapshot().status()))
                .toList();
        Optional<Instant> newest = verdicts.stream()
                .map(v -> v.snapshot().created())
                .filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder());
        if (newest.isEmpty()) {
            section.item(new Item("newest snapshot " + db, "none of ours", "", Verdict.ACT, "", null));
            section.action(
                    "Database " + db + " has no snapshot of this stack: run SnapshotFunction and read its errors");
            return;
        }
        double hours = Duration.between(newest.get(), now).toMinutes() / 60.0;
        Verdict v = hours > backup.maxBackupAge().toMinutes() / 60.0 ? Verdict.ACT : Verdict.OK;
        section.item(new Item("newest snapshot " + db, Format.hours(hours) + " old", "", v, "", null)
                .number("newestAgeHours", Format.round(hours)));
        if (v == Verdict.ACT) {
            section.action("The newest snapshot of " + db + " is " + Format.hours(hours)
                    + " old (a day's is due): check SnapshotFunction");
        }
        Map<String, Integer> counts = new HashMap<>();
        verdicts.forEach(verdict -> verdict.keptBy().forEach(t -> counts.merge(t, 1, Integer::sum)));
        int due =
                (int) verdicts.stream().filter(RetentionPolicy.Verdict::delete).count();
        StringBuilder text = new StringBuilder();
        Item item = new Item("snapshots " + db, "", "", Verdict.OK, "", null);
        for (RetentionTiers.Tier t : RetentionTiers.Tier.values()) {
            int n = counts.getOrDefault(t.label(), 0);
            text.append(text.isEmpty() ? "" : ", ").append(n).append(' ').append(t.label());
            item = item.number(t.label(), n);
        }
        if (due > 0) {
            text.append(", ").append(due).append(" due for the prune");
        }
        section.item(new Item(item.label(), verdicts.size() + " (" + text + ")", "", Verdict.OK, "", item.numbers())
                .number("total", verdicts.size())
                .number("dueForPrune", due));
    }

    private void drCopies(Section.Builder section, String db, List<DBSnapshot> copies) {
        Optional<Instant> newest = copies.stream()
                .map(s -> s.originalSnapshotCreateTime() != null
                        ? s.originalSnapshotCreateTime()
                        : s.snapshotCreateTime())
                .max(Comparator.naturalOrder());
        if (newest.isEmpty()) {
            section.item(
                    new Item("DR copies " + db, "none in " + backup.drRegion().orElse("?"), "", Verdict.ACT, "", null));
            section.action(
                    "No DR copy of " + db + " exists in " + backup.drRegion().orElse("?"));
            return;
        }
        double hours = Duration.between(newest.get(), now).toMinutes() / 60.0;
        Verdict v = hours > backup.drMaxBackupAge().toMinutes() / 60.0 ? Verdict.ACT : Verdict.OK;
        section.item(new Item(
                        "DR copies " + db,
                        copies.size() + " in " + backup.drRegion().orElse("?") + ", newest " + Format.hours(hours)
                                + " old",
                        "",
                        v,
                        "",
                        null)
                .number("copies", copies.size())
                .number("newestAgeHours", Format.round(hours)));
        if (v == Verdict.ACT) {
            section.action("The newest DR copy of " + db + " is " + Format.hours(hours) + " old: check the copies");
        }
    }

    private void uploads(Section.Builder section, Metrics metrics) {
        if (backup.backupBucket().isEmpty()) {
            section.item(Item.of("uploads backup", "not configured (BACKUP_BUCKET is empty)", Verdict.OK));
            return;
        }
        try {
            Optional<S3Object> newest = reads.objects(backup.backupBucket().get(), UploadsManifests.PREFIX).stream()
                    .max(Comparator.comparing(S3Object::key));
            double failures = metrics.current(copyFailures).orElse(0);
            if (newest.isEmpty()) {
                section.item(new Item("uploads backup", "no daily manifest yet", "", Verdict.ACT, "", null));
                section.action("The uploads backup has written no manifest: check SnapshotFunction");
                return;
            }
            String day = UploadsManifests.day(newest.get().key()).orElse("?");
            double hours = Duration.between(newest.get().lastModified(), now).toMinutes() / 60.0;
            Verdict v = hours > backup.maxBackupAge().toMinutes() / 60.0
                    ? Verdict.ACT
                    : failures > 0 ? Verdict.WATCH : Verdict.OK;
            section.item(new Item(
                            "uploads backup",
                            "last manifest " + day + " (" + Format.hours(hours) + " ago), " + Format.count(failures)
                                    + " copy failures in the window",
                            "",
                            v,
                            "",
                            null)
                    .number("manifestAgeHours", Format.round(hours))
                    .number("copyFailures", failures));
            if (v == Verdict.ACT) {
                section.action("The uploads backup's last manifest is " + Format.hours(hours) + " old");
            }
        } catch (RuntimeException e) {
            section.item(Item.unavailable("uploads backup", Problems.describe(e)));
        }
    }
}
