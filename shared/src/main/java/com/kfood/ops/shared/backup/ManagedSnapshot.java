package com.kfood.ops.shared.backup;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/** A snapshot as the prune sees it: what RDS's describe response says, tags included. */
public record ManagedSnapshot(
        String id, String db, String type, String status, Instant created, int allocatedGb, Map<String, String> tags) {

    /** As RDS describes it; the tags come from the same response (no call per snapshot). */
    public static ManagedSnapshot of(DBSnapshot s) {
        Map<String, String> tags = new HashMap<>();
        s.tagList().forEach(t -> tags.put(t.key(), t.value()));
        return new ManagedSnapshot(
                s.dbSnapshotIdentifier(),
                s.dbInstanceIdentifier(),
                s.snapshotType(),
                s.status(),
                // a copy's own creation is the copy's; its original is when the data was taken
                s.originalSnapshotCreateTime() != null ? s.originalSnapshotCreateTime() : s.snapshotCreateTime(),
                s.allocatedStorage() == null ? 0 : s.allocatedStorage(),
                Map.copyOf(tags));
    }
}
