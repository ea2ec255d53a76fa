package com.kfood.ops.prune;

import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.ManagedSnapshot;
import com.kfood.ops.shared.backup.RdsSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * Reads what the prune judges: the configured databases' manual snapshots, with their tags from
 * the same response (no call per snapshot).
 */
public final class SnapshotInventory {
    private final RdsSnapshots rds;
    private final BackupConfig config;

    public SnapshotInventory(RdsSnapshots rds, BackupConfig config) {
        this.rds = rds;
        this.config = config;
    }

    public List<ManagedSnapshot> manualSnapshots() {
        List<ManagedSnapshot> out = new ArrayList<>();
        for (DBSnapshot s : rds.manualSnapshots(config.dbInstanceIds())) {
            Map<String, String> tags = new HashMap<>();
            s.tagList().forEach(t -> tags.put(t.key(), t.value()));
            out.add(new ManagedSnapshot(
                    s.dbSnapshotIdentifier(),
                    s.dbInstanceIdentifier(),
                    s.snapshotType(),
                    s.status(),
                    // a copy's own creation is the copy's; its original is when the data was taken
                    s.originalSnapshotCreateTime() != null ? s.originalSnapshotCreateTime() : s.snapshotCreateTime(),
                    s.allocatedStorage() == null ? 0 : s.allocatedStorage(),
                    Map.copyOf(tags)));
        }
        return out;
    }

    /** Which of the configured databases still exist. */
    public Set<String> existingDatabases() {
        return rds.databases(config.dbInstanceIds()).stream()
                .map(DBInstance::dbInstanceIdentifier)
                .collect(Collectors.toSet());
    }

    /** The region's manual-snapshot quota as RDS reports it (used and max); empty when RDS names none. */
    public Optional<AccountQuota> manualSnapshotQuota() {
        return rds.manualSnapshotQuota();
    }
}
