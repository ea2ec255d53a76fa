package com.kfood.ops.deploy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * DeployNotifierFunction: ECS and CodeDeploy events from EventBridge to {@link DeployNotifier}. An
 * event it does not understand is answered as ignored (EventBridge would only retry it).
 */
public final class DeployNotifierHandler extends OpsHandler<DeployNotifier> {
    public DeployNotifierHandler() {
        this(Env.system());
    }

    public DeployNotifierHandler(Env env) {
        super("DeployNotifierFunction", env, DeployNotifierHandler::wire);
    }

    DeployNotifierHandler(Ops ops, DeployNotifier notifier) {
        super(ops, notifier);
    }

    static DeployNotifier wire(Ops ops) {
        DeployConfig config = DeployConfig.from(ops.env());
        Enricher enricher = new EcsEnricher(ops.aws().build(EcsClient.builder(), "ECS"));
        OnceMarkers markers = new S3OnceMarkers(
                ops.aws().build(S3Client.builder().forcePathStyle(ops.aws().s3PathStyle()), "S3"),
                config.stateBucket(),
                ops.log());
        return new DeployNotifier(config, enricher, markers, ops.notifier(), ops.metrics(), ops.log(), ops.clock());
    }

    @Override
    protected DeployResult rejected(InvalidEventException e) {
        return DeployResult.ignored(e.getMessage());
    }

    @Override
    protected DeployResult handle(JsonNode event, Context context) {
        return service.handle(DeployEvent.parse(event));
    }
}
