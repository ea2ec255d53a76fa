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
 * DeployNotifierFunction: ECS and CodeDeploy EventBridge events to {@link DeployNotifier}. An event
 * it does not handle is logged and answered as ignored: EventBridge retrying it would not help.
 */
public final class DeployNotifierHandler extends OpsHandler {
    private final DeployNotifier notifier;

    public DeployNotifierHandler() {
        this(Env.system());
    }

    public DeployNotifierHandler(Env env) {
        this(Ops.create("DeployNotifierFunction", env));
    }

    DeployNotifierHandler(Ops ops) {
        this(ops, wire(ops));
    }

    DeployNotifierHandler(Ops ops, DeployNotifier notifier) {
        super(ops);
        this.notifier = notifier;
    }

    static DeployNotifier wire(Ops ops) {
        String bucket = ops.env().required("STATE_BUCKET");
        Enricher enricher = new Enricher(ops.aws().build(EcsClient.builder(), "ECS"));
        OnceMarkers markers = new OnceMarkers(ops.aws().build(S3Client.builder().forcePathStyle(ops.aws().endpoint("S3").isPresent()), "S3"),
                bucket, ops.log());
        return new DeployNotifier(enricher, markers, ops.notifier(), ops.metrics(), ops.log(), ops.clock(),
                ops.env().bool("NOTIFY_DEPLOYMENT_STARTS", true));
    }

    @Override
    protected Runnable[] primingCalls() {
        return notifier.primingCalls();
    }

    @Override
    protected DeployResult rejected(InvalidEventException e) {
        return DeployResult.ignored(e.getMessage());
    }

    @Override
    protected DeployResult handle(JsonNode event, Context context) {
        return notifier.handle(DeployEvent.parse(event));
    }
}
