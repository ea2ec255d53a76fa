package com.kfood.ops.snapshot;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.ScheduleTrigger;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** SnapshotFunction: EventBridge Scheduler (or a manual invoke) to {@link SnapshotRun}. */
public final class SnapshotHandler extends OpsHandler {
    private final SnapshotRun run;

    /** Lambda's constructor. */
    public SnapshotHandler() {
        this(Env.system());
    }

    /** The local runtime's and the integration tests' constructor. */
    public SnapshotHandler(Env env) {
        this(Ops.create("SnapshotFunction", env));
    }

    SnapshotHandler(Ops ops) {
        this(ops, wire(ops));
    }

    SnapshotHandler(Ops ops, SnapshotRun run) {
        super(ops);
        this.run = run;
    }

    private static SnapshotRun wire(Ops ops) {
        BackupConfig config = BackupConfig.from(ops.env());
        RdsClient rds = ops.aws().build(RdsClient.builder(), "RDS");
        Optional<UploadsBackup> uploads = config.sourceBucket().map(source -> new UploadsBackup(
                ops.aws().build(S3Client.builder().forcePathStyle(ops.aws().endpoint("S3").isPresent()), "S3"),
                source, config.sourcePrefix(), config.backupBucket().orElseThrow(),
                ops.env().integer("COPY_CONCURRENCY", 16, 1, 64),
                Duration.ofSeconds(ops.env().integer("DEADLINE_MARGIN_SECONDS", 20, 1, 300)), ops.log()));
        return new SnapshotRun(config, new SnapshotPlan(rds, config, ops.function(), ops.log()), uploads, ops.notifier(), ops.metrics());
    }

    @Override
    protected Runnable[] primingCalls() {
        return run.primingCalls();
    }

    @Override
    protected SnapshotRunResult handle(JsonNode event, Context context) {
        ScheduleTrigger trigger = ScheduleTrigger.parse(event, ops.clock());
        ops.log().info("backup run", "scheduledFor", trigger.scheduledFor().toString(), "trigger", trigger.source());
        return run.run(trigger, context == null ? Deadline.unlimited() : Deadline.of(context));
    }
}
