package com.kfood.ops.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.CopyDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.CopyDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.CreateDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.CreateDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DeleteDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.DeleteDbSnapshotResponse;
import software.amazon.awssdk.services.rds.model.DescribeAccountAttributesRequest;
import software.amazon.awssdk.services.rds.model.DescribeAccountAttributesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbSnapshotsResponse;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * An in-memory RDS for unit tests: the describe, create and delete calls the backup functions make,
 * with RDS's filters and paging, and a count of every call. The clock is the test's.
 */
public final class FakeRds implements RdsClient {
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
                        .dbInstanceStatus(status)
                        .tagList(tags)
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

    private static List<String> filter(List<Filter> filters, String name) {
        return filters.stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .map(Filter::values)
                .orElse(null);
    }

    @Override
    public DescribeDbInstancesResponse describeDBInstances(DescribeDbInstancesRequest request) {
        count("DescribeDBInstances");
        List<String> ids = filter(request.filters(), "db-instance-id");
        return DescribeDbInstancesResponse.builder()
                .dbInstances(instances.values().stream()
                        .filter(i -> ids == null || ids.contains(i.dbInstanceIdentifier()))
                        .filter(i -> request.dbInstanceIdentifier() == null
                                || request.dbInstanceIdentifier().equals(i.dbInstanceIdentifier()))
                        .toList())
                .build();
    }

    @Override
    public DescribeDbSnapshotsResponse describeDBSnapshots(DescribeDbSnapshotsRequest request) {
        count("DescribeDBSnapshots");
        if (request.dbSnapshotIdentifier() != null) {
            DBSnapshot s = snapshots.get(request.dbSnapshotIdentifier());
            if (s == null) {
                throw DbSnapshotNotFoundException.builder()
                        .message("DBSnapshot " + request.dbSnapshotIdentifier() + " not found.")
                        .build();
            }
            return DescribeDbSnapshotsResponse.builder().dbSnapshots(s).build();
        }
        List<String> dbs = filter(request.filters(), "db-instance-id");
        List<String> types = filter(request.filters(), "snapshot-type");
        List<DBSnapshot> matching = snapshots.values().stream()
                .filter(s -> dbs == null || dbs.contains(s.dbInstanceIdentifier()))
                .filter(s -> types == null || types.contains(s.snapshotType()))
                .sorted(Comparator.comparing(DBSnapshot::dbSnapshotIdentifier))
                .toList();
        int page = request.maxRecords() == null ? 100 : request.maxRecords();
        int from = request.marker() == null ? 0 : Integer.parseInt(request.marker());
        int to = Math.min(matching.size(), from + page);
        return DescribeDbSnapshotsResponse.builder()
                .dbSnapshots(new ArrayList<>(matching.subList(from, to)))
                .marker(to < matching.size() ? String.valueOf(to) : null)
                .build();
    }

    @Override
    public CreateDbSnapshotResponse createDBSnapshot(CreateDbSnapshotRequest request) {
        count("CreateDBSnapshot");
        if (snapshots.containsKey(request.dbSnapshotIdentifier())) {
            throw DbSnapshotAlreadyExistsException.builder().message("exists").build();
        }
        snapshot(
                request.dbSnapshotIdentifier(),
                request.dbInstanceIdentifier(),
                "manual",
                "creating",
                clock.instant(),
                request.tags().toArray(Tag[]::new));
        return CreateDbSnapshotResponse.builder()
                .dbSnapshot(snapshots.get(request.dbSnapshotIdentifier()))
                .build();
    }

    @Override
    public DeleteDbSnapshotResponse deleteDBSnapshot(DeleteDbSnapshotRequest request) {
        count("DeleteDBSnapshot");
        switch (deleteFailures.get(request.dbSnapshotIdentifier())) {
            case null -> {}
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable e ->
                throw new IllegalArgumentException("deleteFailures takes unchecked throwables, not " + e);
        }
        DBSnapshot removed = snapshots.remove(request.dbSnapshotIdentifier());
        if (removed == null) {
            throw DbSnapshotNotFoundException.builder().message("not found").build();
        }
        return DeleteDbSnapshotResponse.builder().dbSnapshot(removed).build();
    }

    /** As a DR region: a copy started here is of this database and shows this status (RDS's copies take a while). */
    public volatile String copiesOfDb = "kfood-db";

    public volatile String copyStatus = "pending";

    /** When set, every copy is refused with it. */
    public volatile RuntimeException copyFailure;

    @Override
    public CopyDbSnapshotResponse copyDBSnapshot(CopyDbSnapshotRequest request) {
        count("CopyDBSnapshot");
        if (copyFailure != null) {
            throw copyFailure;
        }
        if (snapshots.containsKey(request.targetDBSnapshotIdentifier())) {
            throw DbSnapshotAlreadyExistsException.builder().message("exists").build();
        }
        snapshot(
                request.targetDBSnapshotIdentifier(),
                copiesOfDb,
                "manual",
                copyStatus,
                clock.instant(),
                request.tags().toArray(Tag[]::new));
        return CopyDbSnapshotResponse.builder()
                .dbSnapshot(snapshots.get(request.targetDBSnapshotIdentifier()))
                .build();
    }

    @Override
    public DescribeAccountAttributesResponse describeAccountAttributes(DescribeAccountAttributesRequest request) {
        count("DescribeAccountAttributes");
        return DescribeAccountAttributesResponse.builder()
                .accountQuotas(manualSnapshotQuota == null ? List.of() : List.of(manualSnapshotQuota))
                .build();
    }

    @Override
    public String serviceName() {
        return "rds";
    }

    @Override
    public void close() {}
}
