package com.kfood.ops.deploy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.Severity;

/**
 * DeployNotifierFunction. For now: ECS deployment, ECS service action and CodeDeploy events become
 * one notification each, loud for failures and rollbacks; anything else is ignored with a log line.
 */
public final class DeployNotifierHandler extends OpsHandler {
    /** The function's answer for one event. */
    public record DeployResult(String source, String detailType, String eventName, String outcome, boolean notified) {
    }

    private final Notifier notifier;

    public DeployNotifierHandler() {
        this(Env.system());
    }

    public DeployNotifierHandler(Env env) {
        this(Ops.create("DeployNotifierFunction", env));
    }

    DeployNotifierHandler(Ops ops) {
        this(ops, ops.notifier());
    }

    DeployNotifierHandler(Ops ops, Notifier notifier) {
        super(ops);
        this.notifier = notifier;
    }

    @Override
    protected DeployResult handle(JsonNode event, Context context) {
        String source = Json.text(event, "source");
        String detailType = Json.text(event, "detail-type");
        JsonNode detail = event.path("detail");
        if (!("aws.ecs".equals(source) || "aws.codedeploy".equals(source)) || detailType == null || !detail.isObject()) {
            ops.log().warn("event ignored: not an ECS or CodeDeploy event", "source", String.valueOf(source), "detailType", String.valueOf(detailType));
            return new DeployResult(source, detailType, null, "ignored", false);
        }
        String name = source.equals("aws.ecs") ? Json.text(detail, "eventName") : Json.text(detail, "state");
        String upper = name == null ? "" : name.toUpperCase(java.util.Locale.ROOT);
        boolean bad = upper.contains("FAIL") || upper.contains("STOP") || "ERROR".equals(Json.text(detail, "eventType"))
                || String.valueOf(Json.text(detail, "reason")).contains("rolling back");
        Severity severity = bad ? Severity.CRITICAL : upper.contains("COMPLETED") || upper.equals("SUCCESS") ? Severity.SUCCESS : Severity.INFO;
        String resource = event.path("resources").path(0).asText("");
        boolean sent = notifier.send(Notification.builder(severity, "deploy." + (name == null ? "event" : name.toLowerCase(java.util.Locale.ROOT)),
                        detailType + ": " + name)
                .summary(Json.text(detail, "reason"))
                .fact("Resource", resource)
                .fact("Deployment", Json.text(detail, "deploymentId"))
                .fact("Application", Json.text(detail, "application"))
                .build());
        ops.metrics().count("DeploymentEvents", 1);
        return new DeployResult(source, detailType, name, "notified", sent);
    }
}
