package com.kfood.ops.snapshot;

import java.util.List;

/** SnapshotFunction's result: what was created, skipped and why, and the uploads copy. */
public record SnapshotRunResult(
        String scheduledFor,
        String trigger,
        boolean dryRun,
        QuotaCheck quota,
        List<SnapshotOutcome> snapshots,
        UploadsOutcome uploads,
        boolean notified) {}
