package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.ScheduleTrigger;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.backup.BackupConfig;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the backup's notifications say: a run's snapshots, uploads and DR copies; a DR copy that failed. */
final class SnapshotNotice {
    private SnapshotNotice() {}

    /** A DR copy started by RDS's event failed: said at once, not left for the next run. */
    static Notification drCopyFailed(String snapshotId, String drRegion, DrCopies.Copy failure) {
        return Notification.builder(Severity.CRITICAL, "backup.dr-copy", "DR copy of " + snapshotId + " FAILED")
                .fact("To", drRegion)
                .fact("Error", failure.detail())
                .nextStep(
                        "The next backup run tries again (its catch-up pass); check the DR key's grants if it fails again.")
                .build();
    }

    static long count(List<SnapshotOutcome> outcomes, SnapshotOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    static Notification backup(
            BackupConfig config,
            ScheduleTrigger trigger,
            boolean dryRun,
            QuotaCheck quota,
            List<SnapshotOutcome> outcomes,
            UploadsOutcome copy,
            List<DrCopies.Copy> drCopied) {
        long failed = count(outcomes, SnapshotOutcome.Status.FAILED);
        long skipped = count(outcomes, SnapshotOutcome.Status.SKIPPED);
        boolean copyFailed = copy.status() == UploadsOutcome.Status.FAILED;
        boolean copyIncomplete = copy.status() == UploadsOutcome.Status.INCOMPLETE;
        Severity severity = failed > 0 || copyFailed
                ? Severity.CRITICAL
                : skipped > 0 || copyIncomplete || quota.status() == QuotaCheck.Status.WARNING
                        ? Severity.WARNING
                        : dryRun ? Severity.INFO : Severity.SUCCESS;
        String title = (dryRun ? "Dry run: backup for " : "Backup for ") + trigger.scheduledFor() + ": "
                + count(outcomes, SnapshotOutcome.Status.CREATED) + " created, "
                + count(outcomes, SnapshotOutcome.Status.ALREADY_EXISTS) + " already taken, " + skipped + " skipped, "
                + failed + " failed";
        var n = Notification.builder(severity, "backup.snapshot", title)
                .summary(dryRun ? "Dry run: nothing was created or copied." : "")
                .thread("backup-" + trigger.scheduledFor().toString().substring(0, 10));
        for (SnapshotOutcome o : outcomes) {
            n.fact(o.db(), o.status() + " " + o.snapshotId() + " - " + o.reason());
        }
        n.fact("Snapshot quota", quota.message());
        if (copy.status() != UploadsOutcome.Status.NOT_CONFIGURED) {
            n.fact(
                    "Uploads",
                    copy.status() + ": " + copy.copied() + " new or changed copied (" + copy.bytesCopied()
                            + " bytes), " + copy.alreadyCopied() + " unchanged, " + copy.removed()
                            + " gone from the source (marked deleted, their versions kept), " + copy.failed()
                            + " failed, to " + copy.destination());
            if (copy.manifest() != null) {
                n.fact("Uploads manifest", copy.manifest() + " (restore: ./ops restore-uploads --day <YYYYMMDD>)");
            }
            if (copy.resumeFrom() != null) {
                n.fact("Uploads resume from", copy.resumeFrom());
                n.nextStep(
                        "Invoke SnapshotFunction again with the same event to finish the uploads copy; copied objects are skipped.");
            }
            copy.failures().stream().limit(5).forEach(f -> n.fact("Copy failure", f));
        }
        config.drRegion().ifPresent(region -> {
            Map<DrCopies.Copy.Status, Long> by = new EnumMap<>(DrCopies.Copy.Status.class);
            drCopied.forEach(c -> by.merge(c.status(), 1L, Long::sum));
            n.fact("Copies in " + region, by.isEmpty() ? "none due" : by.toString());
            drCopied.stream()
                    .filter(c -> c.status() == DrCopies.Copy.Status.FAILED)
                    .limit(3)
                    .forEach(c -> n.fact("DR copy failure", c.snapshot() + ": " + c.detail()));
        });
        if (failed > 0) {
            n.nextStep("Check the failed databases in the RDS console; the next scheduled run will try again.");
        }
        if (quota.status() == QuotaCheck.Status.WARNING) {
            n.nextStep("Manual snapshot quota is near its limit: run PruneFunction or request a quota increase.");
        }
        return n.build();
    }

    /** An uploads verification that did not pass: what is missing or changed, by name. */
    static Notification verification(UploadsVerify.Outcome o) {
        var n = Notification.builder(
                        Severity.CRITICAL,
                        "backup.uploads_verification",
                        "Uploads verification " + o.status() + " (" + o.day() + ")")
                .summary("The uploads backup does not hold every version its manifest names as named: a restore of"
                        + " that day would not be whole.")
                .thread("uploads-verify-" + o.day());
        n.fact("Manifest", o.manifest());
        n.fact(
                "Versions",
                o.verified() + " of " + o.entries() + " as named; " + o.missing() + " missing, " + o.changed()
                        + " changed");
        o.firstProblems().forEach(p -> n.fact("Problem", p));
        if (o.sample() != null) {
            n.fact(
                    "Sample restored",
                    o.sample().matched() + " of " + o.sample().copied() + " matched ("
                            + o.sample().scratch() + (o.sample().cleaned() ? ", deleted)" : ", NOT deleted)"));
        }
        if (o.resumeFrom() != null) {
            n.fact("Stopped at", o.resumeFrom() + " (the deadline): run it again");
        }
        n.nextStep("Compare with the backup's last runs (SnapshotFunction's notifications) and the bucket's"
                + " lifecycle: a version that is gone cannot be restored.");
        return n.build();
    }
}
