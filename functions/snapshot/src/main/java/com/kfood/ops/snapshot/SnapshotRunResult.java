package com.kfood.ops.snapshot;

import java.util.List;

/**
 * SnapshotFunction's result: what was created, skipped and why, the uploads copy, and the DR
 * region's catch-up: each copy started, waiting or failed, and how many were there already
 * ({@code drRegion} null: no DR region configured).
 */
public record SnapshotRunResult(
        String scheduledFor,
        String trigger,
        boolean dryRun,
        QuotaCheck quota,
        List<SnapshotOutcome> snapshots,
        UploadsOutcome uploads,
        String drRegion,
        List<DrCopies.Copy> drCopies,
        int drAlreadyCopied,
        boolean notified) {}
