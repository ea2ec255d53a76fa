package com.kfood.ops.prune;

import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.backup.AutomatedBackups;
import java.time.Duration;
import java.util.List;

/** What the prune's notification says: what went, what stays by which tier, the quota, freshness. */
final class PruneNotice {
    private PruneNotice() {}

    static Notification of(PruneResult r, Duration maxBackupAge) {
        boolean stale = r.freshness().stream().anyMatch(f -> f.status() != PruneResult.Freshness.Status.FRESH);
        var n = Notification.builder(severity(r), "backup.prune", title(r))
                .summary(r.dryRun() ? "Dry run: nothing was deleted." : "")
                .thread("backup-" + r.ranAt().substring(0, 10));
        facts(n, r);
        if (r.quota().status() == PruneResult.QuotaOutlook.Status.WARNING) {
            n.nextStep("RDS allows " + r.quota().max() + " manual snapshots per region (drills and copies count"
                    + " too): shorten WeeklyRetentionWeeks or MonthlyRetentionMonths, or ask for a higher quota.");
        }
        r.freshness().forEach(f -> n.fact("Backup of " + f.db(), f.describe()));
        r.automatedBackups().forEach(w -> n.fact("Automated backups of " + w.db(), w.describe()));
        if (automatedTrouble(r)) {
            n.nextStep("Point-in-time recovery needs the automated backups: check the database's backup retention"
                    + " (the plan keeps 30 days, backup_retention_period) and, when it restores far behind now, RDS's"
                    + " events for the instance (a stuck transaction-log upload, a storage-full instance).");
        }
        r.failures().stream().limit(5).forEach(f -> n.fact("Failure", f));
        if (!r.alreadyGone().isEmpty()) {
            n.fact("Already gone", r.alreadyGone().size() + " snapshot(s) RDS no longer had when deleted");
        }
        if (!r.remaining().isEmpty()) {
            n.fact("Not reached before the deadline", r.remaining().size() + " snapshot(s); the next run continues");
        }
        if (stale) {
            n.nextStep("A database has no managed snapshot younger than " + maxBackupAge.toHours()
                    + " h: check SnapshotFunction's last run and its failed-events queue.");
        }
        return n.build();
    }

    /** Failures, stale backups (home or DR) are loud; a run not finished or a quota near its end warns. */
    private static Severity severity(PruneResult r) {
        boolean quotaWarning = r.quota().status() == PruneResult.QuotaOutlook.Status.WARNING;
        return !r.failures().isEmpty() || stale(r) || drTrouble(r) || automatedTrouble(r)
                ? Severity.CRITICAL
                : !r.complete() || quotaWarning ? Severity.WARNING : r.dryRun() ? Severity.INFO : Severity.SUCCESS;
    }

    private static boolean automatedTrouble(PruneResult r) {
        return r.automatedBackups().stream().anyMatch(w -> w.status() != AutomatedBackups.Watch.Status.OK);
    }

    private static String title(PruneResult r) {
        String title = r.dryRun()
                ? "Dry run: prune would delete " + r.wouldDelete().size() + " snapshot(s)"
                : "Prune deleted " + r.deleted().size() + " snapshot(s)"
                        + (r.failures().isEmpty() ? "" : ", " + r.failures().size() + " failed");
        if (stale(r)) {
            title += "; backups not fresh";
        }
        if (automatedTrouble(r)) {
            title += "; automated backups short or behind";
        }
        if (drTrouble(r)) {
            title += "; DR copies not fresh or not pruned";
        }
        return title;
    }

    private static boolean stale(PruneResult r) {
        return r.freshness().stream().anyMatch(f -> f.status() != PruneResult.Freshness.Status.FRESH);
    }

    /** The DR region's copies count as much as home's: a pass that failed or copies gone stale are loud too. */
    private static boolean drTrouble(PruneResult r) {
        return r.dr() != null
                && (!r.dr().failures().isEmpty()
                        || r.dr().freshness().stream().anyMatch(f -> f.status() != PruneResult.Freshness.Status.FRESH));
    }

    private static void facts(Notification.Builder n, PruneResult r) {
        List<String> listed = r.dryRun() ? r.wouldDelete() : r.deleted();
        n.fact(
                r.dryRun() ? "Would delete" : "Deleted",
                listed.isEmpty()
                        ? "none"
                        : String.join(", ", listed.subList(0, Math.min(listed.size(), 20)))
                                + (listed.size() > 20 ? " and " + (listed.size() - 20) + " more" : ""));
        n.fact("Allocated storage of those snapshots", r.allocatedGbOfDeleted() + " GB");
        r.keptByReason().forEach((reason, count) -> n.fact("Kept (" + reason + ")", count));
        for (PruneResult.Tiers t : r.tiers()) {
            n.fact(
                    "Tiers of " + t.db(),
                    t.kept() + " kept: " + t.daily() + " daily, " + t.weekly() + " weekly, " + t.monthly()
                            + " monthly (one may count in several), " + t.floor() + " by the floor; "
                            + t.steadyState() + " once the tiers are full");
        }
        n.fact("Snapshot quota", r.quota().message());
        if (r.dr() != null) {
            PruneResult.DrPrune d = r.dr();
            n.fact(
                    "DR region " + d.region(),
                    (r.dryRun()
                                    ? d.wouldDelete().size() + " would be deleted"
                                    : d.deleted().size() + " deleted")
                            + (d.failures().isEmpty() ? "" : ", " + d.failures().size() + " failed"));
            d.freshness().forEach(f -> n.fact("DR copy of " + f.db(), f.describe()));
            d.failures().stream().limit(3).forEach(f -> n.fact("DR failure", f));
        }
    }
}
