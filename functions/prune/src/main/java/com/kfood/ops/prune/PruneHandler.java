package com.kfood.ops.prune;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.ScheduleTrigger;
import com.kfood.ops.shared.backup.BackupConfig;
import software.amazon.awssdk.services.rds.RdsClient;

/** PruneFunction: EventBridge Scheduler (or a manual invoke) to {@link PruneRun}. */
public final class PruneHandler extends OpsHandler<PruneRun> {
    public PruneHandler() {
        this(Env.system());
    }

    public PruneHandler(Env env) {
        super("PruneFunction", env, PruneHandler::wire);
    }

    PruneHandler(Ops ops, PruneRun run) {
        super(ops, run);
    }

    static PruneRun wire(Ops ops) {
        BackupConfig config = BackupConfig.from(ops.env());
        RdsClient rds = ops.aws().build(RdsClient.builder(), "RDS");
        return new PruneRun(
                config, new SnapshotInventory(rds, config), rds, ops.notifier(), ops.metrics(), ops.log(), ops.clock());
    }

    @Override
    protected PruneResult handle(JsonNode event, Context context) {
        ScheduleTrigger trigger = ScheduleTrigger.parse(event, ops.clock());
        return service.run(trigger, context == null ? Deadline.unlimited() : Deadline.of(context));
    }
}
