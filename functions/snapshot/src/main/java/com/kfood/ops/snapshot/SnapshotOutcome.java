package com.kfood.ops.snapshot;

/** What happened to one database's snapshot in this run. */
public record SnapshotOutcome(String db, String snapshotId, Status status, String reason) {
    public enum Status {
        CREATED,
        WOULD_CREATE,
        ALREADY_EXISTS,
        SKIPPED,
        FAILED
    }
}
