package com.kfood.ops.testsupport;

import com.kfood.ops.shared.backup.RdsSnapshots;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBInstanceAutomatedBackup;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The backup functions' RDS seam ({@link RdsSnapshots}) in memory, for unit tests: what RDS holds,
 * the answers and refusals it gives, and a count of every call by its RDS operation. The clock is
 * the test's. (The calls themselves, paging included, are AwsRdsSnapshots's, tested on moto.)
 */
public final class FakeRds implements RdsSnapshots {
    public final Map<String, DBInstance> instances = new ConcurrentHashMap<>();
    public final Map<String, DBSnapshot> snapshots = new ConcurrentSkipListMap<>();
    public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    public volatile AccountQuota manualSnapshotQuota;
    /** What deleting a snapshot throws instead of deleting it (an unchecked exception or an error). */
    public final Map<String, Throwable> deleteFailures = new ConcurrentHashMap<>();

    private final Clock clock;

    public FakeRds(Clock clock) {
        this.clock = clock;
    }

    public FakeRds instance(String id, String status, Tag... tags) {
        instances.put(
                id,
                DBInstance.builder()
                        .dbInstanceIdentifier(id)
                        .dbInstanceArn("arn:aws:rds:ap-northeast-2:123456789012:db:" + id)
                        .dbInstanceStatus(status)
                        .tagList(tags)
                        // the plan's automated backups: 30 days, restorable to two minutes ago
                        .backupRetentionPeriod(30)
                        .latestRestorableTime(clock.instant().minusSeconds(120))
                        .build());
        return this;
    }

    /** The instance's automated backups: {@code days} kept, restorable up to {@code latest}. */
    public FakeRds automatedBackups(String id, int days, Instant latest) {
        instances.computeIfPresent(
                id,
                (k, i) -> i.toBuilder()
                        .backupRetentionPeriod(days)
                        .latestRestorableTime(latest)
                        .build());
        return this;
    }

    public FakeRds snapshot(String id, String db, String type, String status, Instant created, Tag... tags) {
        snapshots.put(
                id,
                DBSnapshot.builder()
                        .dbSnapshotIdentifier(id)
                        .dbInstanceIdentifier(db)
                        .snapshotType(type)
                        .status(status)
                        .snapshotCreateTime(created)
                        .allocatedStorage(100)
                        .tagList(tags)
                        .build());
        return this;
    }

    public int calls(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    private void count(String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public List<DBInstance> databases(List<String> dbInstanceIds) {
        count("DescribeDBInstances");
        return instances.values().stream()
                .filter(i -> dbInstanceIds.contains(i.dbInstanceIdentifier()))
                .toList();
    }

    /** The automated backups replicated into this region, by source database ARN. */
    public final Map<String, DBInstanceAutomatedBackup> replicated = new ConcurrentHashMap<>();

    @Override
    public List<DBInstanceAutomatedBackup> automatedBackups() {
        count("DescribeDBInstanceAutomatedBackups");
        return List.copyOf(replicated.values());
    }

    @Override
    public void replicateAutomatedBackups(String sourceDbArn, int retentionDays, Optional<String> kmsKeyId) {
        count("StartDBInstanceAutomatedBackupsReplication");
        replicated.put(
                sourceDbArn,
                DBInstanceAutomatedBackup.builder()
                        .dbInstanceArn(sourceDbArn)
                        .backupRetentionPeriod(retentionDays)
                        .status("replicating")
                        .build());
    }

    @Override
    public List<DBSnapshot> manualSnapshots(List<String> dbInstanceIds) {
        count("DescribeDBSnapshots");
        return snapshots.values().stream()
                .filter(s -> dbInstanceIds.contains(s.dbInstanceIdentifier()))
                .filter(s -> "manual".equals(s.snapshotType()))
                .sorted(Comparator.comparing(DBSnapshot::dbSnapshotIdentifier))
                .toList();
    }

    @Override
    public Optional<DBSnapshot> snapshot(String snapshotId) {
        count("DescribeDBSnapshots");
        return Optional.ofNullable(snapshots.get(snapshotId));
    }

    @Override
    public DBSnapshot create(String dbInstanceId, String snapshotId, List<Tag> tags) {
        count("CreateDBSnapshot");
        if (snapshots.containsKey(snapshotId)) {
            throw DbSnapshotAlreadyExistsException.builder().message("exists").build();
        }
        snapshot(snapshotId, dbInstanceId, "manual", "creating", clock.instant(), tags.toArray(Tag[]::new));
        return snapshots.get(snapshotId);
    }

    @Override
    public boolean delete(String snapshotId) {
        count("DeleteDBSnapshot");
        switch (deleteFailures.get(snapshotId)) {
            case null -> {}
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable e ->
                throw new IllegalArgumentException("deleteFailures takes unchecked throwables, not " + e);
        }
        return snapshots.remove(snapshotId) != null;
    }

    /** As a DR region: a copy started here is of this database and shows this status (RDS's copies take a while). */
    public volatile String copiesOfDb = "kfood-db";

    public volatile String copyStatus = "pending";

    /** When set, every copy is refused with it. */
    public volatile RuntimeException copyFailure;

    @Override
    public DBSnapshot copy(CopyRequest request) {
        count("CopyDBSnapshot");
        if (copyFailure != null) {
            throw copyFailure;
        }
        if (snapshots.containsKey(request.targetId())) {
            throw DbSnapshotAlreadyExistsException.builder().message("exists").build();
        }
        snapshot(
                request.targetId(),
                copiesOfDb,
                "manual",
                copyStatus,
                clock.instant(),
                request.tags().toArray(Tag[]::new));
        return snapshots.get(request.targetId());
    }

    @Override
    public Optional<AccountQuota> manualSnapshotQuota() {
        count("DescribeAccountAttributes");
        return Optional.ofNullable(manualSnapshotQuota);
    }
}
