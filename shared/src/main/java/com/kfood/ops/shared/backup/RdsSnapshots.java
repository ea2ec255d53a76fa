package com.kfood.ops.shared.backup;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBInstanceAutomatedBackup;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The RDS calls the snapshot and prune functions make in one region: the seam their unit tests
 * fake; {@link AwsRdsSnapshots} makes the calls. RDS's own exceptions pass through, so the logic
 * decides what a refusal means (an existing snapshot, a lost answer, a quota).
 */
public interface RdsSnapshots {
    /** The named databases RDS has (all pages); a name RDS does not know is simply absent. */
    List<DBInstance> databases(List<String> dbInstanceIds);

    /** The named databases' manual snapshots, this account's own, with their tags (all pages). */
    List<DBSnapshot> manualSnapshots(List<String> dbInstanceIds);

    /** One snapshot by id, or empty when RDS has none of that name. */
    Optional<DBSnapshot> snapshot(String snapshotId);

    /** The region's manual-snapshot quota (used and max), or empty when RDS names none. */
    Optional<AccountQuota> manualSnapshotQuota();

    /** Starts a snapshot; {@code DbSnapshotAlreadyExistsException} when the name is taken. */
    DBSnapshot create(String dbInstanceId, String snapshotId, List<Tag> tags);

    /** What a copy into this region is made of: the source's ARN and region, its id here, its tags. */
    record CopyRequest(
            String sourceArn, String sourceRegion, String targetId, List<Tag> tags, Optional<String> kmsKeyId) {}

    /** Starts a copy of another region's snapshot into this one. */
    DBSnapshot copy(CopyRequest request);

    /**
     * This region's automated backups (all pages), those RDS replicates here from another region
     * included: their {@code DBInstanceArn} is the source database's.
     */
    List<DBInstanceAutomatedBackup> automatedBackups();

    /**
     * Starts replicating a database of another region's automated backups into this region, kept
     * {@code retentionDays}, encrypted with {@code kmsKeyId} here when the source is encrypted.
     */
    void replicateAutomatedBackups(String sourceDbArn, int retentionDays, Optional<String> kmsKeyId);

    /** Deletes a snapshot; false when it was gone already. */
    boolean delete(String snapshotId);

    /** Each call, for SnapStart priming (stopped before sending). */
    default Runnable[] primingCalls() {
        return new Runnable[0];
    }
}
