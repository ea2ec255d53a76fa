package com.kfood.ops.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.backup.AutomatedBackups;
import com.kfood.ops.shared.backup.BackupConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The recovery side of Backups and DR, from the records the functions keep: each drill mode's last
 * report and last PASS with its measured recovery point (a snapshot's data lag, a point-in-time
 * restore's lag in seconds), each database's automated backups (retention and how far behind now
 * they restore), and the newest uploads verification.
 */
final class RecoveryFacts {
    /** The drill's modes, their run ids' suffix and whether a report expects them. */
    private record Mode(String id, String suffix, String lastPass) {}

    private static final List<Mode> MODES = List.of(
            new Mode("snapshot", "", "drills/last-pass.json"),
            new Mode("pointInTime", "-pitr", "drills/last-pass-pointInTime.json"),
            new Mode("drRegion", "-dr", "drills/last-pass-drRegion.json"));
    /** A monthly drill older than this is overdue; the DR drill runs quarterly. */
    private static final double MONTHLY_DAYS = 35;

    private static final double QUARTERLY_DAYS = 95;
    /** The snapshot function's newest uploads verification, in the backup bucket. */
    private static final String VERIFICATION = "uploads/verifications/latest.json";

    private final BackupConfig backup;
    private final ReportReads reads;
    private final Optional<String> stateBucket;
    private final Instant now;

    RecoveryFacts(BackupConfig backup, ReportReads reads, Optional<String> stateBucket, Instant now) {
        this.backup = backup;
        this.reads = reads;
        this.stateBucket = stateBucket;
        this.now = now;
    }

    void add(Section.Builder section) {
        drills(section);
        for (String db : backup.dbInstanceIds()) {
            automatedBackups(section, db);
        }
        uploadsVerification(section);
    }

    private void drills(Section.Builder section) {
        if (stateBucket.isEmpty()) {
            section.item(Item.unavailable("restore drill", "STATE_BUCKET is not set"));
            return;
        }
        List<S3Object> reports;
        try {
            reports = reads.objects(stateBucket.get(), "drills/runs/").stream()
                    .filter(o -> o.key().endsWith("/report.json"))
                    .toList();
        } catch (RuntimeException e) {
            section.item(Item.unavailable("restore drill", Problems.describe(e)));
            return;
        }
        for (Mode mode : MODES) {
            if (mode.id().equals("drRegion") && backup.drRegion().isEmpty()) {
                continue; // no DR region: no DR drill to expect
            }
            try {
                drill(section, mode, reports);
            } catch (RuntimeException e) {
                section.item(Item.unavailable("restore drill " + mode.id(), Problems.describe(e)));
            }
        }
    }

    private void drill(Section.Builder section, Mode mode, List<S3Object> reports) {
        String label = "restore drill " + mode.id();
        Optional<S3Object> newest = reports.stream()
                .filter(o -> runId(o.key()).matches("\\d{8}-\\d{4}" + mode.suffix()))
                .max(Comparator.comparing(S3Object::lastModified));
        if (newest.isEmpty()) {
            section.item(Item.of(label, "no drill of this mode has reported yet", Verdict.WATCH));
            return;
        }
        JsonNode report =
                Json.parseEmbedded(reads.text(stateBucket.get(), newest.get().key()));
        String outcome = report.path("outcome").asText("?");
        double days = Duration.between(newest.get().lastModified(), now).toHours() / 24.0;
        double due = mode.id().equals("drRegion") ? QUARTERLY_DAYS : MONTHLY_DAYS;
        Verdict v = !"PASS".equals(outcome) ? Verdict.ACT : days > due ? Verdict.WATCH : Verdict.OK;
        double rto = max(report, "restoreMinutes");
        String point = mode.id().equals("pointInTime")
                ? "PITR lag " + seconds(max(report, "recoveryLagSeconds"))
                : "data lag "
                        + (Double.isNaN(max(report, "dataLagMinutes"))
                                ? "unknown"
                                : Format.minutes(max(report, "dataLagMinutes")));
        section.item(new Item(
                        label,
                        String.format(
                                Locale.ROOT,
                                "%s %.0f days ago, RTO %s, %s; last PASS %s",
                                outcome,
                                days,
                                Double.isNaN(rto) ? "unknown" : Format.minutes(rto),
                                point,
                                lastPass(mode)),
                        "",
                        v,
                        "",
                        null)
                .number("outcome", outcome)
                .number("restoreMinutes", Format.round(rto))
                .number("recoveryLagSeconds", Format.round(max(report, "recoveryLagSeconds")))
                .number("dataLagMinutes", Format.round(max(report, "dataLagMinutes"))));
        if (v == Verdict.ACT) {
            section.action("The last " + mode.id()
                    + " restore drill FAILED: read its report and fix the backup before the next one");
        }
    }

    /** When a drill of the mode last passed (listed first: a record not there is "never", not a denial). */
    private String lastPass(Mode mode) {
        boolean there = reads.objects(stateBucket.get(), mode.lastPass()).stream()
                .anyMatch(o -> o.key().equals(mode.lastPass()));
        if (!there) {
            return "never";
        }
        JsonNode pass = Json.parseEmbedded(reads.text(stateBucket.get(), mode.lastPass()));
        return pass == null ? "unreadable" : pass.path("passedAt").asText("never");
    }

    /** Retention against the plan's days, and how far behind now RDS can restore the database. */
    private void automatedBackups(Section.Builder section, String db) {
        String label = "automated backups " + db;
        try {
            DBInstance i = reads.database(db);
            if (i == null) {
                section.item(Item.of(label, "no such database", Verdict.WATCH));
                return;
            }
            // judged as the prune judges it (AutomatedBackups, the same limits)
            AutomatedBackups.Watch w = AutomatedBackups.of(backup).judge(i, now, null);
            Verdict v = switch (w.status()) {
                case OK -> Verdict.OK;
                case OFF -> Verdict.ACT;
                case RETENTION_SHORT, BEHIND -> Verdict.WATCH;
            };
            section.item(new Item(
                            label,
                            (w.retentionDays() == null ? "?" : w.retentionDays()) + " days kept, restorable to "
                                    + (w.latestRestorableTime() == null
                                            ? "no time"
                                            : w.latestRestorableTime() + " (" + Format.minutes(w.lagMinutes())
                                                    + " ago)"),
                            "",
                            v,
                            "",
                            null)
                    .number("retentionDays", w.retentionDays())
                    .number("pitrLagMinutes", w.lagMinutes()));
            if (v == Verdict.ACT) {
                section.action("Database " + db + " keeps no automated backups: point-in-time recovery is impossible");
            }
        } catch (RuntimeException e) {
            section.item(Item.unavailable(label, Problems.describe(e)));
        }
    }

    private void uploadsVerification(Section.Builder section) {
        if (backup.backupBucket().isEmpty()) {
            return;
        }
        String bucket = backup.backupBucket().get();
        try {
            if (reads.objects(bucket, VERIFICATION).stream()
                    .noneMatch(x -> x.key().equals(VERIFICATION))) {
                section.item(Item.of("uploads verification", "never run (./ops verify-uploads)", Verdict.WATCH));
                return;
            }
            JsonNode o = Json.parseEmbedded(reads.text(bucket, VERIFICATION));
            String status = o.path("status").asText("?");
            section.item(Item.of(
                            "uploads verification",
                            String.format(
                                    Locale.ROOT,
                                    "%s for %s: %d of %d versions as named, %d missing, %d changed",
                                    status,
                                    o.path("day").asText("?"),
                                    o.path("verified").asInt(),
                                    o.path("entries").asInt(),
                                    o.path("missing").asInt(),
                                    o.path("changed").asInt()),
                            "PASS".equals(status) ? Verdict.OK : Verdict.ACT)
                    .number("status", status));
            if (!"PASS".equals(status)) {
                section.action("The uploads backup does not hold what its manifest names: ./ops verify-uploads --day "
                        + o.path("day").asText("latest"));
            }
        } catch (RuntimeException e) {
            section.item(Item.unavailable("uploads verification", Problems.describe(e)));
        }
    }

    private static String runId(String key) {
        String[] parts = key.split("/");
        return parts.length >= 2 ? parts[parts.length - 2] : "";
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "unknown" : String.format(Locale.ROOT, "%.0f s", s);
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
