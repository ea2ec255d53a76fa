package com.kfood.ops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Text;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An ECS or CodeDeploy event as the notifier needs it. Service ARNs come in the long form
 * ({@code service/<cluster>/<service>}) and the old short form ({@code service/<service>}, the
 * cluster then from {@code clusterArn}, or unknown).
 *
 * @param name the ECS eventName, {@code TASK_STOPPED} for a task, or the CodeDeploy state
 */
public record DeployEvent(
        Kind kind,
        String id,
        Instant time,
        String region,
        String cluster,
        String service,
        String deploymentId,
        String name,
        String eventType,
        String reason,
        String application,
        String deploymentGroup,
        List<String> stoppedContainers) {

    public enum Kind {
        ECS_DEPLOYMENT,
        ECS_SERVICE_ACTION,
        ECS_TASK_STOPPED,
        CODEDEPLOY
    }

    /** The resource the notification is about: {@code cluster/service} or {@code application/group}. */
    public String subject() {
        return kind == Kind.CODEDEPLOY
                ? application + "/" + deploymentGroup
                : (cluster == null ? "" : cluster + "/") + service;
    }

    public boolean isRollback() {
        return reason != null && reason.toLowerCase(Locale.ROOT).contains("rolling back");
    }

    public static DeployEvent parse(JsonNode event) {
        String source = Json.text(event, "source");
        String detailType = Json.text(event, "detail-type");
        JsonNode detail = event.get("detail");
        if (source == null || detailType == null || detail == null || !detail.isObject()) {
            throw new InvalidEventException("not an EventBridge event (source, detail-type and detail are required)");
        }
        String id = Json.text(event, "id");
        Instant time = instant(Json.text(event, "time"));
        String region = Json.text(event, "region");
        String resource = event.path("resources").path(0).asText(null);
        return switch (source + " | " + detailType) {
            case "aws.ecs | ECS Deployment State Change", "aws.ecs | ECS Service Action" -> {
                String[] names = serviceArn(resource, Json.text(detail, "clusterArn"));
                Kind kind = detailType.equals("ECS Service Action") ? Kind.ECS_SERVICE_ACTION : Kind.ECS_DEPLOYMENT;
                yield new DeployEvent(
                        kind,
                        id,
                        time,
                        region,
                        names[0],
                        names[1],
                        Json.text(detail, "deploymentId"),
                        required(detail, "eventName"),
                        Json.text(detail, "eventType"),
                        Json.text(detail, "reason"),
                        null,
                        null,
                        List.of());
            }
            case "aws.ecs | ECS Task State Change" -> taskStopped(id, time, region, detail);
            case "aws.codedeploy | CodeDeploy Deployment State-change Notification" ->
                new DeployEvent(
                        Kind.CODEDEPLOY,
                        id,
                        time,
                        region,
                        null,
                        null,
                        required(detail, "deploymentId"),
                        required(detail, "state"),
                        null,
                        null,
                        required(detail, "application"),
                        Json.text(detail, "deploymentGroup"),
                        List.of());
            default ->
                throw new InvalidEventException("not a deployment event: " + Text.printable(source, 40) + " / "
                        + Text.printable(detailType, 80));
        };
    }

    /** A task of a service stopped: which containers exited, and why. */
    private static DeployEvent taskStopped(String id, Instant time, String region, JsonNode detail) {
        String group = Json.text(detail, "group");
        if (group == null || !group.startsWith("service:")) {
            throw new InvalidEventException("task event for a task that no service runs (group "
                    + Text.printable(String.valueOf(group), 60) + ")");
        }
        List<String> stopped = new ArrayList<>();
        for (JsonNode c : detail.path("containers")) {
            if (c.path("exitCode").isNumber() && c.path("exitCode").asInt() != 0 || Json.text(c, "reason") != null) {
                stopped.add(Json.text(c, "name") + " exit "
                        + c.path("exitCode").asText("?")
                        + (Json.text(c, "reason") == null ? "" : " (" + Json.text(c, "reason") + ")"));
            }
        }
        return new DeployEvent(
                Kind.ECS_TASK_STOPPED,
                id,
                time,
                region,
                clusterName(Json.text(detail, "clusterArn")),
                group.substring(8),
                Json.text(detail, "startedBy"),
                "TASK_STOPPED",
                Json.text(detail, "stopCode"),
                Json.text(detail, "stoppedReason"),
                null,
                null,
                List.copyOf(stopped));
    }

    /** {@code [cluster, service]} from a service ARN in either form. */
    static String[] serviceArn(String arn, String clusterArn) {
        if (arn == null || !arn.contains(":service/")) {
            throw new InvalidEventException("ECS event without a service ARN in resources");
        }
        String[] path =
                arn.substring(arn.indexOf(":service/") + ":service/".length()).split("/");
        if (path.length == 2 && !path[0].isEmpty() && !path[1].isEmpty()) {
            return path;
        }
        if (path.length == 1 && !path[0].isEmpty()) {
            return new String[] {clusterName(clusterArn), path[0]};
        }
        throw new InvalidEventException("malformed service ARN: " + Text.printable(arn, 120));
    }

    private static String clusterName(String clusterArn) {
        return clusterArn == null || !clusterArn.contains(":cluster/")
                ? null
                : clusterArn.substring(clusterArn.indexOf(":cluster/") + 9);
    }

    private static String required(JsonNode detail, String field) {
        String value = Json.text(detail, field);
        if (value == null || value.isBlank()) {
            throw new InvalidEventException("event detail has no " + field);
        }
        return value;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
