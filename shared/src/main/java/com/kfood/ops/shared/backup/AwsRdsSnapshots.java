package com.kfood.ops.shared.backup;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBInstanceAutomatedBackup;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.Tag;

/** {@link RdsSnapshots} on RDS: filtered by RDS and paged by the SDK's paginators, 100 a page. */
public final class AwsRdsSnapshots implements RdsSnapshots {
    private final RdsClient rds;

    public AwsRdsSnapshots(RdsClient rds) {
        this.rds = rds;
    }

    @Override
    public List<DBInstance> databases(List<String> dbInstanceIds) {
        return rds
                .describeDBInstancesPaginator(
                        b -> b.filters(f -> f.name("db-instance-id").values(dbInstanceIds)))
                .dbInstances()
                .stream()
                .toList();
    }

    @Override
    public List<DBSnapshot> manualSnapshots(List<String> dbInstanceIds) {
        return rds
                .describeDBSnapshotsPaginator(b -> b.filters(
                                Filter.builder()
                                        .name("db-instance-id")
                                        .values(dbInstanceIds)
                                        .build(),
                                Filter.builder()
                                        .name("snapshot-type")
                                        .values("manual")
                                        .build())
                        .includeShared(false)
                        .includePublic(false)
                        .maxRecords(100))
                .dbSnapshots()
                .stream()
                .toList();
    }

    @Override
    public List<DBInstanceAutomatedBackup> automatedBackups() {
        return rds
                .describeDBInstanceAutomatedBackupsPaginator(b -> b.maxRecords(100))
                .dbInstanceAutomatedBackups()
                .stream()
                .toList();
    }

    @Override
    public void replicateAutomatedBackups(String sourceDbArn, int retentionDays, Optional<String> kmsKeyId) {
        rds.startDBInstanceAutomatedBackupsReplication(b -> {
            b.sourceDBInstanceArn(sourceDbArn).backupRetentionPeriod(retentionDays);
            kmsKeyId.ifPresent(b::kmsKeyId);
        });
    }

    @Override
    public Optional<DBSnapshot> snapshot(String snapshotId) {
        try {
            return rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(snapshotId)).dbSnapshots().stream()
                    .findFirst();
        } catch (DbSnapshotNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<AccountQuota> manualSnapshotQuota() {
        return rds.describeAccountAttributes().accountQuotas().stream()
                .filter(q -> "ManualSnapshots".equals(q.accountQuotaName()))
                .findFirst();
    }

    @Override
    public DBSnapshot create(String dbInstanceId, String snapshotId, List<Tag> tags) {
        return rds.createDBSnapshot(b -> b.dbInstanceIdentifier(dbInstanceId)
                        .dbSnapshotIdentifier(snapshotId)
                        .tags(tags))
                .dbSnapshot();
    }

    @Override
    public DBSnapshot copy(CopyRequest request) {
        return rds.copyDBSnapshot(b -> {
                    b.sourceDBSnapshotIdentifier(request.sourceArn())
                            .targetDBSnapshotIdentifier(request.targetId())
                            .sourceRegion(request.sourceRegion())
                            .tags(request.tags());
                    request.kmsKeyId().ifPresent(b::kmsKeyId);
                })
                .dbSnapshot();
    }

    @Override
    public boolean delete(String snapshotId) {
        try {
            rds.deleteDBSnapshot(b -> b.dbSnapshotIdentifier(snapshotId));
            return true;
        } catch (DbSnapshotNotFoundException e) {
            return false;
        }
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            () -> databases(List.of("priming")),
            () -> manualSnapshots(List.of("priming")),
            this::manualSnapshotQuota,
            () -> snapshot("priming"),
            () -> create(
                    "priming",
                    "priming",
                    List.of(Tag.builder()
                            .key(SnapshotTags.MANAGED_BY)
                            .value("priming")
                            .build())),
            () -> copy(new CopyRequest(
                    "arn:aws:rds:ap-northeast-2:000000000000:snapshot:priming",
                    "ap-northeast-2",
                    "priming",
                    List.of(),
                    Optional.empty())),
            () -> delete("priming"),
        };
    }
}
