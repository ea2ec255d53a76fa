package com.kfood.ops.prune;

import com.kfood.ops.shared.backup.AutomatedBackups;
import java.util.List;
import java.util.Map;

/**
 * PruneFunction's result. {@code deleted} were deleted; in a dry run {@code wouldDelete} lists
 * exactly what a real run would delete. {@code alreadyGone} were due but RDS no longer had them when
 * deleted (a retry after a lost answer, or someone else). {@code remaining} were due but not reached
 * before the deadline (the next run takes them). {@code keptSnapshots} names, for each of ours kept,
 * the tiers that keep it; {@code tiers} counts them per database; {@code quota} is the region's
 * manual-snapshot quota now and once the tiers are full.
 */
public record PruneResult(
        String ranAt,
        String trigger,
        boolean dryRun,
        boolean complete,
        List<String> deleted,
        List<String> wouldDelete,
        List<String> alreadyGone,
        long allocatedGbOfDeleted,
        Map<String, Integer> keptByReason,
        Map<String, String> keptSnapshots,
        List<Tiers> tiers,
        QuotaOutlook quota,
        List<String> failures,
        List<String> remaining,
        List<Freshness> freshness,
        List<AutomatedBackups.Watch> automatedBackups,
        DrPrune dr,
        boolean notified) {

    PruneResult withNotified(boolean sent) {
        return new PruneResult(
                ranAt,
                trigger,
                dryRun,
                complete,
                deleted,
                wouldDelete,
                alreadyGone,
                allocatedGbOfDeleted,
                keptByReason,
                keptSnapshots,
                tiers,
                quota,
                failures,
                remaining,
                freshness,
                automatedBackups,
                dr,
                sent);
    }

    /** One database's snapshots of ours kept per tier (one may count in several), and once the tiers are full. */
    public record Tiers(String db, int daily, int weekly, int monthly, int floor, int kept, int steadyState) {}

    /**
     * The region's manual-snapshot quota: used now, and {@code steadyState}, what the region will hold
     * once the tiers are full (the snapshots that are not ours, as now, plus each database's steady state).
     */
    public record QuotaOutlook(Status status, Long used, Long max, Long steadyState, String message) {
        public enum Status {
            OK,
            WARNING,
            UNKNOWN
        }
    }

    /** The DR region's pass: its copies deleted (or that would be), failures, and each database's newest copy. */
    public record DrPrune(
            String region,
            List<String> deleted,
            List<String> wouldDelete,
            List<String> failures,
            List<String> remaining,
            List<Freshness> freshness) {}

    /** Whether each database has a recent managed snapshot. */
    public record Freshness(String db, Status status, String newestSnapshot, Double ageHours) {
        /** As a notification states it: the status, and the newest snapshot with its age. */
        String describe() {
            return status + (newestSnapshot == null ? "" : ": newest " + newestSnapshot + ", " + ageHours + " h old");
        }

        public enum Status {
            FRESH,
            STALE,
            MISSING,
            DATABASE_NOT_FOUND
        }
    }
}
