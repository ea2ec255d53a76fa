package com.kfood.ops.prune;

import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.ManagedSnapshot;
import com.kfood.ops.shared.backup.RdsSnapshots;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;

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
        return rds.manualSnapshots(config.dbInstanceIds()).stream()
                .map(ManagedSnapshot::of)
                .toList();
    }

    /** The configured databases that still exist, as RDS describes them (their automated backups included). */
    public List<DBInstance> databases() {
        return rds.databases(config.dbInstanceIds());
    }

    /** Which of the configured databases still exist. */
    public Set<String> existingDatabases() {
        return databases().stream().map(DBInstance::dbInstanceIdentifier).collect(Collectors.toSet());
    }

    /** The region's manual-snapshot quota as RDS reports it (used and max); empty when RDS names none. */
    public Optional<AccountQuota> manualSnapshotQuota() {
        return rds.manualSnapshotQuota();
    }
}
