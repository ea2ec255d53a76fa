package com.kfood.ops.prune;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.backup.AutomatedBackups;
import com.kfood.ops.shared.backup.AwsRdsSnapshots;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.RdsSnapshots;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;

/** PruneFunction's Lambda class: EventBridge Scheduler (or a manual invoke) to {@link PruneRun}. */
public final class PruneHandler extends OpsHandler {
    public PruneHandler() {
        this(Env.system());
    }

    public PruneHandler(Env env) {
        super("PruneFunction", env, PruneHandler::wire);
    }

    static PruneRun wire(Ops ops) {
        BackupConfig config = BackupConfig.from(ops.env());
        RdsSnapshots rds = new AwsRdsSnapshots(ops.aws().build(RdsClient.builder(), "RDS"));
        Optional<PruneRun.DrRegion> dr = config.drRegion().map(region -> {
            RdsSnapshots drRds = new AwsRdsSnapshots(ops.aws().build(RdsClient.builder(), "RDS", Region.of(region)));
            return new PruneRun.DrRegion(region, new SnapshotInventory(drRds, config), drRds);
        });
        return new PruneRun(
                config,
                new PruneRun.Home(new SnapshotInventory(rds, config), rds, AutomatedBackups.of(config)),
                dr,
                ops.notifier(),
                ops.metrics(),
                ops.log(),
                ops.clock());
    }
}
