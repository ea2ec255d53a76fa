package com.kfood.ops.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.RetentionTiers;
import com.kfood.ops.shared.backup.SnapshotTags;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups and DR: per database the newest snapshot's age and the snapshots kept per retention tier
 * (the prune's own rules), the newest DR copy's age, the uploads backup's newest manifest and copy
 * failures, and the last restore drill's result (RTO and data lag) from the drill's own record.
 */
final class BackupsSource extends Source {
    private final BackupConfig backup;
    private final RdsClient rds;
    private final Optional<RdsClient> drRds;
    private final S3Client s3;
    private final Optional<String> stateBucket;
    private final String namespace;
    private final Instant now;
    private String copyFailures;

    BackupsSource(
            BackupConfig backup,
            RdsClient rds,
            Optional<RdsClient> drRds,
            S3Client s3,
            Optional<String> stateBucket,
            String namespace,
            Instant now) {
        super("backups", "Backups and DR", EnumSet.of(ReportKind.WEEKLY, ReportKind.MONTHLY));
        this.backup = backup;
        this.rds = rds;
        this.drRds = drRds;
        this.s3 = s3;
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
        RetentionTiers tiers = new RetentionTiers(
                backup.weeklyRetentionWeeks(), backup.monthlyRetentionMonths(), backup.retentionZone());
        for (String db : backup.dbInstanceIds()) {
            try {
                List<DBSnapshot> ours = ours(rds, db);
                snapshots(section, db, ours, tiers);
            } catch (RuntimeException e) {
                section.item(Item.unavailable("snapshots " + db, Problems.describe(e)));
            }
            if (drRds.isEmpty()) {
                section.item(Item.of("DR copies " + db, "not configured (DR_REGION is empty)", Verdict.OK));
            } else {
                try {
                    drCopies(section, db, ours(drRds.get(), db));
                } catch (RuntimeException e) {
                    section.item(Item.unavailable("DR copies " + db, Problems.describe(e)));
                }
            }
        }
        uploads(section, metrics);
        drill(section);
        return section.build();
    }

    private List<DBSnapshot> ours(RdsClient client, String db) {
        return client
                .describeDBSnapshotsPaginator(b -> b.dbInstanceIdentifier(db).snapshotType("manual"))
                .dbSnapshots()
                .stream()
                .filter(s -> SnapshotTags.isOurName(backup.snapshotPrefix(), db, s.dbSnapshotIdentifier()))
                .filter(s -> "available".equals(s.status()))
                .toList();
    }

    private void snapshots(Section.Builder section, String db, List<DBSnapshot> ours, RetentionTiers tiers) {
        Optional<Instant> newest =
                ours.stream().map(DBSnapshot::snapshotCreateTime).max(Comparator.naturalOrder());
        if (newest.isEmpty()) {
            section.item(new Item("newest snapshot " + db, "none of ours", "", Verdict.ACT, "", null));
            section.action(
                    "Database " + db + " has no snapshot of this stack: run SnapshotFunction and read its errors");
            return;
        }
        double hours = Duration.between(newest.get(), now).toMinutes() / 60.0;
        Verdict v = hours > 26 ? Verdict.ACT : Verdict.OK;
        section.item(new Item("newest snapshot " + db, Format.hours(hours) + " old", "", v, "", null)
                .number("newestAgeHours", Format.round(hours)));
        if (v == Verdict.ACT) {
            section.action("The newest snapshot of " + db + " is " + Format.hours(hours)
                    + " old (a day's is due): check SnapshotFunction");
        }
        Map<String, EnumSet<RetentionTiers.Tier>> kept = tiers.keep(
                ours.stream()
                        .map(s -> new RetentionTiers.Dated(
                                s.dbSnapshotIdentifier(), s.snapshotCreateTime(), backup.retentionDays()))
                        .toList(),
                now);
        Map<RetentionTiers.Tier, Integer> counts = new EnumMap<>(RetentionTiers.Tier.class);
        kept.values().forEach(set -> set.forEach(t -> counts.merge(t, 1, Integer::sum)));
        int other = (int) kept.values().stream().filter(Set::isEmpty).count();
        StringBuilder text = new StringBuilder();
        Item item = new Item("snapshots " + db, "", "", Verdict.OK, "", null);
        for (RetentionTiers.Tier t : RetentionTiers.Tier.values()) {
            int n = counts.getOrDefault(t, 0);
            text.append(text.isEmpty() ? "" : ", ").append(n).append(' ').append(t.label());
            item = item.number(t.label(), n);
        }
        if (other > 0) {
            text.append(", ").append(other).append(" due for the prune");
        }
        section.item(new Item(item.label(), ours.size() + " (" + text + ")", "", Verdict.OK, "", item.numbers())
                .number("total", ours.size()));
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
        Verdict v = hours > 30 ? Verdict.ACT : Verdict.OK;
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
            Optional<S3Object> newest = s3
                    .listObjectsV2Paginator(
                            b -> b.bucket(backup.backupBucket().get()).prefix("uploads/manifests/"))
                    .contents()
                    .stream()
                    .max(Comparator.comparing(S3Object::key));
            double failures = metrics.current(copyFailures).orElse(0);
            if (newest.isEmpty()) {
                section.item(new Item("uploads backup", "no daily manifest yet", "", Verdict.ACT, "", null));
                section.action("The uploads backup has written no manifest: check SnapshotFunction");
                return;
            }
            String day = newest.get().key().replaceAll(".*/(\\d{8})\\.jsonl\\.gz$", "$1");
            double hours = Duration.between(newest.get().lastModified(), now).toMinutes() / 60.0;
            Verdict v = hours > 26 ? Verdict.ACT : failures > 0 ? Verdict.WATCH : Verdict.OK;
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

    private void drill(Section.Builder section) {
        if (stateBucket.isEmpty()) {
            section.item(Item.unavailable("restore drill", "STATE_BUCKET is not set"));
            return;
        }
        try {
            Optional<S3Object> newest =
                    s3
                            .listObjectsV2Paginator(
                                    b -> b.bucket(stateBucket.get()).prefix("drills/runs/"))
                            .contents()
                            .stream()
                            .filter(o -> o.key().endsWith("/report.json"))
                            .max(Comparator.comparing(S3Object::lastModified));
            if (newest.isEmpty()) {
                section.item(Item.of("restore drill", "no drill has reported yet", Verdict.WATCH));
                return;
            }
            JsonNode report = Json.parseEmbedded(s3.getObjectAsBytes(
                            b -> b.bucket(stateBucket.get()).key(newest.get().key()))
                    .asUtf8String());
            String outcome = report.path("outcome").asText("?");
            double rto = max(report, "restoreMinutes");
            double lag = max(report, "dataLagMinutes");
            double days = Duration.between(newest.get().lastModified(), now).toHours() / 24.0;
            Verdict v = !"PASS".equals(outcome) ? Verdict.ACT : days > 35 ? Verdict.WATCH : Verdict.OK;
            section.item(new Item(
                            "restore drill",
                            String.format(
                                    Locale.ROOT,
                                    "%s %.0f days ago, RTO %s, data lag %s",
                                    outcome,
                                    days,
                                    Double.isNaN(rto) ? "unknown" : Format.minutes(rto),
                                    Double.isNaN(lag) ? "unknown" : Format.minutes(lag)),
                            "",
                            v,
                            "",
                            null)
                    .number("outcome", outcome)
                    .number("restoreMinutes", Format.round(rto))
                    .number("dataLagMinutes", Format.round(lag)));
            if (v == Verdict.ACT) {
                section.action("The last restore drill FAILED: read its report and fix the backup before the next one");
            }
        } catch (RuntimeException e) {
            section.item(Item.unavailable("restore drill", Problems.describe(e)));
        }
    }

    private static double max(JsonNode report, String field) {
        double out = Double.NaN;
        for (JsonNode db : report.path("databases")) {
            if (db.path(field).isNumber()) {
                out = Double.isNaN(out)
                        ? db.get(field).asDouble()
                        : Math.max(out, db.get(field).asDouble());
            }
        }
        return out;
    }
}
