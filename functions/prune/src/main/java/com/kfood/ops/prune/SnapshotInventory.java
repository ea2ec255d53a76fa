package com.kfood.ops.prune;

import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.ManagedSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Filter;

/**
 * Reads what the prune judges: the configured databases' manual snapshots, filtered by RDS and
 * paged, with their tags from the same response (no call per snapshot).
 */
public final class SnapshotInventory {
    private final RdsClient rds;
    private final BackupConfig config;

    public SnapshotInventory(RdsClient rds, BackupConfig config) {
        this.rds = rds;
        this.config = config;
    }

    public List<ManagedSnapshot> manualSnapshots() {
        List<ManagedSnapshot> out = new ArrayList<>();
        var pages = rds.describeDBSnapshotsPaginator(b -> b.filters(
                        Filter.builder()
                                .name("db-instance-id")
                                .values(config.dbInstanceIds())
                                .build(),
                        Filter.builder().name("snapshot-type").values("manual").build())
                .includeShared(false)
                .includePublic(false)
                .maxRecords(100));
        for (DBSnapshot s : pages.dbSnapshots()) {
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
        return rds
                .describeDBInstancesPaginator(
                        b -> b.filters(f -> f.name("db-instance-id").values(config.dbInstanceIds())))
                .dbInstances()
                .stream()
                .map(DBInstance::dbInstanceIdentifier)
                .collect(Collectors.toSet());
    }

    /** The region's manual-snapshot quota as RDS reports it (used and max); empty when RDS names none. */
    public Optional<AccountQuota> manualSnapshotQuota() {
        return rds.describeAccountAttributes().accountQuotas().stream()
                .filter(q -> "ManualSnapshots".equals(q.accountQuotaName()))
                .findFirst();
    }
}
