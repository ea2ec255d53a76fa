package com.kfood.ops.prune;

import java.util.List;
import java.util.Map;

/**
 * PruneFunction's result. {@code deleted} were deleted; in a dry run {@code wouldDelete} lists
 * exactly what a real run would delete. {@code alreadyGone} were due but RDS no longer had them when
 * deleted (a retry after a lost answer, or someone else). {@code remaining} were due but not reached
 * before the deadline (the next run takes them).
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
        List<String> failures,
        List<String> remaining,
        List<Freshness> freshness,
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
                failures,
                remaining,
                freshness,
                sent);
    }

    /** Whether each database has a recent managed snapshot. */
    public record Freshness(String db, Status status, String newestSnapshot, Double ageHours) {
        public enum Status {
            FRESH,
            STALE,
            MISSING,
            DATABASE_NOT_FOUND
        }
    }
}
