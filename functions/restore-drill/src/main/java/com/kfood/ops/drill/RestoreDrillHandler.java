package com.kfood.ops.drill;

import com.kfood.ops.shared.DbSecret;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** RestoreDrillFunction's Lambda class: the monthly start, the watchdog and RDS's instance events to {@link RestoreDrill}. */
public final class RestoreDrillHandler extends OpsHandler {
    public RestoreDrillHandler() {
        this(Env.system());
    }

    public RestoreDrillHandler(Env env) {
        super("RestoreDrillFunction", env, RestoreDrillHandler::wire);
    }

    static RestoreDrill wire(Ops ops) {
        DrillConfig config = DrillConfig.from(ops.env());
        AwsDrillPlatform platform = new AwsDrillPlatform(
                ops.aws().build(RdsClient.builder(), "RDS"),
                ops.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER"),
                config);
        S3DrillStore store = new S3DrillStore(
                ops.aws().build(S3Client.builder().forcePathStyle(ops.aws().s3PathStyle()), "S3"),
                config.stateBucket());
        RestoreDrill.Connector connector = target ->
                DbSecret.connect(target, config.sslMode(), config.queryTimeoutSeconds(), "kfood-ops-restore-drill");
        // the DR drill restores in the DR region with that region's RDS and master secret
        Optional<DrillPlatform> dr = config.modes()
                .drSite()
                .map(site -> new AwsDrillPlatform(
                        ops.aws().build(RdsClient.builder(), "RDS", Region.of(site.region())),
                        ops.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER", Region.of(site.region())),
                        config));
        return new RestoreDrill(
                config,
                new RestoreDrill.Rig(platform, store, connector, dr),
                ops.notifier(),
                ops.metrics(),
                ops.log(),
                ops.clock());
    }
}
