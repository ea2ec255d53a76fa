package com.kfood.ops.prune;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.ScheduleTrigger;
import java.time.Duration;
import software.amazon.awssdk.services.rds.RdsClient;

/** PruneFunction: EventBridge Scheduler (or a manual invoke) to {@link PruneRun}. */
public final class PruneHandler extends OpsHandler {
    private final PruneRun run;

    /** Lambda's constructor. */
    public PruneHandler() {
        this(Env.system());
    }

    /** The local runtime's and the integration tests' constructor. */
    public PruneHandler(Env env) {
        this(Ops.create("PruneFunction", env));
    }

    PruneHandler(Ops ops) {
        this(ops, wire(ops));
    }

    PruneHandler(Ops ops, PruneRun run) {
        super(ops);
        this.run = run;
    }

    static PruneRun wire(Ops ops) {
        BackupConfig config = BackupConfig.from(ops.env());
        RdsClient rds = ops.aws().build(RdsClient.builder(), "RDS");
        return new PruneRun(config, new SnapshotInventory(rds, config), rds, ops.notifier(), ops.metrics(), ops.log(), ops.clock(),
                ops.env().integer("PRUNE_CONCURRENCY", 4, 1, 16),
                Duration.ofHours(ops.env().integer("MAX_BACKUP_AGE_HOURS", 26, 1, 24 * 14)),
                Duration.ofSeconds(ops.env().integer("DEADLINE_MARGIN_SECONDS", 20, 1, 300)));
    }

    @Override
    protected Runnable[] primingCalls() {
        return run.primingCalls();
    }

    @Override
    protected PruneResult handle(JsonNode event, Context context) {
        ScheduleTrigger trigger = ScheduleTrigger.parse(event, ops.clock());
        return run.run(trigger, context == null ? Deadline.unlimited() : Deadline.of(context));
    }
}
