package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.backup.AwsRdsSnapshots;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.RdsSnapshots;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** SnapshotFunction's Lambda class: EventBridge Scheduler (or a manual invoke) to {@link SnapshotRun}. */
public final class SnapshotHandler extends OpsHandler {
    public SnapshotHandler() {
        this(Env.system());
    }

    public SnapshotHandler(Env env) {
        super("SnapshotFunction", env, SnapshotHandler::wire);
    }

    private static SnapshotRun wire(Ops ops) {
        BackupConfig config = BackupConfig.from(ops.env());
        RdsSnapshots rds = new AwsRdsSnapshots(ops.aws().build(RdsClient.builder(), "RDS"));
        S3Client s3 =
                ops.aws().build(S3Client.builder().forcePathStyle(ops.aws().s3PathStyle()), "S3");
        ObjectCopy copier =
                ObjectCopy.of(s3, ops.aws(), config.multipartCopyThresholdBytes(), config.copyConcurrency());
        Optional<UploadsBuckets> buckets = config.sourceBucket()
                .map(source -> new UploadsBuckets(
                        source, config.sourcePrefix(), config.backupBucket().orElseThrow()));
        Optional<UploadsBackup> uploads = buckets.map(
                b -> new UploadsBackup(s3, copier, b, config.copyConcurrency(), config.deadlineMargin(), ops.log()));
        Optional<UploadsRestore> restore =
                buckets.map(b -> new UploadsRestore(s3, copier, b, config.deadlineMargin(), ops.log()));
        Optional<UploadsVerify> verify =
                buckets.map(b -> new UploadsVerify(s3, copier, b, config.deadlineMargin(), ops.log()));
        Optional<DrCopies> dr = config.drRegion()
                .map(region -> new DrCopies(
                        rds,
                        new AwsRdsSnapshots(ops.aws().build(RdsClient.builder(), "RDS", Region.of(region))),
                        config,
                        ops.aws().region().id(),
                        ops.log()));
        return new SnapshotRun(
                config,
                new SnapshotRun.Parts(
                        new SnapshotPlan(rds, config, ops.function(), ops.log()), uploads, dr, restore, verify),
                ops.notifier(),
                ops.metrics(),
                ops.log(),
                ops.clock());
    }
}
