package com.kfood.ops.deploy;

import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.incident.Incidents;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a deployment notification says: what happened, to which service, from which image, whether
 * users saw it ({@code verdict}, null for an event that ends no deployment), where to look.
 *
 * @param downtimePages whether a "no" verdict makes the notification critical (else it informs)
 */
record DeployNotice(
        DeployEvent event,
        Enrichment facts,
        Incidents.Incident incident,
        DowntimeVerdict verdict,
        boolean downtimePages) {

    Severity severity() {
        return downtime() && downtimePages ? Severity.CRITICAL : severity(event);
    }

    private boolean downtime() {
        return verdict != null && verdict.status() == DowntimeVerdict.Status.NO;
    }

    private static Severity severity(DeployEvent e) {
        return switch (e.name()) {
            case "SERVICE_DEPLOYMENT_FAILED", "FAILURE", "STOP", "TASK_STOPPED" -> Severity.CRITICAL;
            case "SERVICE_DEPLOYMENT_COMPLETED", "SUCCESS" -> Severity.SUCCESS;
            case "SERVICE_DEPLOYMENT_IN_PROGRESS" -> e.isRollback() ? Severity.CRITICAL : Severity.INFO;
            default ->
                "ERROR".equals(e.eventType())
                        ? Severity.CRITICAL
                        : "WARN".equals(e.eventType()) ? Severity.WARNING : Severity.INFO;
        };
    }

    Notification notification() {
        DeployEvent e = event;
        Enrichment f = facts;
        var n = Notification.builder(severity(), "deploy." + e.name().toLowerCase(Locale.ROOT), title(e, f))
                .summary((incident == null
                                ? ""
                                : "Started by remediation of " + incident.alarmName() + ", incident " + incident.id()
                                        + ". ")
                        + (e.reason() == null ? "" : e.reason()))
                // a remediation's deployment goes into its incident's thread
                .thread(incident != null ? incident.id() : e.deploymentId() != null ? e.deploymentId() : e.subject())
                .fact("Incident", incident == null ? null : incident.id())
                .fact(
                        e.kind() == DeployEvent.Kind.CODEDEPLOY ? "Application / group" : "Cluster / service",
                        e.subject())
                .fact("Deployment", e.deploymentId())
                .fact(
                        "Event",
                        e.name()
                                + (e.eventType() == null ? "" : " (" + e.eventType() + ")")
                                + (e.time() == null ? "" : " at " + e.time()))
                .fact(
                        "Task definition",
                        f.taskDefinitionAfter() == null
                                ? null
                                : (f.taskDefinitionBefore() == null ? "" : f.taskDefinitionBefore() + " -> ")
                                        + f.taskDefinitionAfter())
                .fact(
                        "Image tag (commit)",
                        f.imageAfter() == null
                                ? null
                                : (f.imageBefore() == null ? "" : f.imageBefore() + " -> ") + f.imageAfter())
                .fact("Tasks", f.desired() == null ? null : f.running() + " running of " + f.desired() + " desired")
                .fact(
                        "Duration",
                        f.durationSeconds() == null || DeployNotifier.isStart(e) ? null : duration(f.durationSeconds()))
                .fact("Rollback target", f.rollbackTarget())
                .fact("Rollout", f.status())
                .fact("Zero-downtime", verdict == null ? null : verdict.text())
                .fact("Judged over", verdict == null ? null : verdict.judgedOver());
        if (!e.stoppedContainers().isEmpty()) {
            n.fact("Stopped containers", String.join("; ", e.stoppedContainers()));
        }
        if (!f.lookupErrors().isEmpty()) {
            n.fact("Not looked up", String.join("; ", f.lookupErrors()));
        }
        links(n, e, f);
        if (downtime()) {
            n.nextStep(
                    "Users saw errors during this deployment: read the load balancer's 5xx and target health for"
                            + " the window, and make the next one wait for healthy tasks (health check grace, minimum healthy percent).");
        }
        if (severity(e) == Severity.CRITICAL) {
            n.nextStep(
                    e.kind() == DeployEvent.Kind.ECS_TASK_STOPPED
                            ? "Read the stopped task's logs; repeated crashes mean the running image is broken."
                            : "Check the service's events and logs; the circuit breaker or CodeDeploy restores the previous version.");
        }
        return n.build();
    }

    /** "kfood-backend deployed old -> new in 4 min 2 s": what happened, to what, how long it took. */
    private static String title(DeployEvent e, Enrichment f) {
        String what = e.kind() == DeployEvent.Kind.CODEDEPLOY ? "CodeDeploy " + e.subject() : e.service();
        String change = f.imageAfter() == null
                ? ""
                : " " + (f.imageBefore() == null ? "" : f.imageBefore() + " -> ") + f.imageAfter();
        String took = f.durationSeconds() == null ? "" : " in " + duration(f.durationSeconds());
        return switch (e.name()) {
            case "SERVICE_DEPLOYMENT_IN_PROGRESS" ->
                e.isRollback()
                        ? what + " rolling back" + (f.rollbackTarget() == null ? "" : " to " + f.rollbackTarget())
                        : what + " deployment started" + change;
            case "SERVICE_DEPLOYMENT_COMPLETED" -> what + " deployed" + change + took;
            case "SERVICE_DEPLOYMENT_FAILED" ->
                what + " deployment FAILED" + took + (e.isRollback() ? ", rolling back" : "");
            case "TASK_STOPPED" ->
                what + " task stopped unexpectedly"
                        + (e.stoppedContainers().isEmpty()
                                ? ""
                                : ": " + e.stoppedContainers().getFirst());
            case "START" -> what + " deployment started";
            case "SUCCESS" -> what + " deployment succeeded" + took;
            case "FAILURE" -> what + " deployment FAILED" + took;
            case "STOP" -> what + " deployment stopped" + took;
            case "READY" -> what + " ready: waiting to reroute traffic";
            default -> what + ": " + e.name();
        };
    }

    /** Where to look: the CodeDeploy deployment or the ECS service, and the service's logs. */
    private static void links(Notification.Builder n, DeployEvent e, Enrichment f) {
        String region = e.region() == null ? "ap-northeast-2" : e.region();
        if (e.kind() == DeployEvent.Kind.CODEDEPLOY) {
            n.link(
                    "CodeDeploy console",
                    "https://" + region + ".console.aws.amazon.com/codesuite/codedeploy/deployments/" + e.deploymentId()
                            + "?region=" + region);
        } else if (e.cluster() != null) {
            n.link(
                    "ECS service",
                    "https://" + region + ".console.aws.amazon.com/ecs/v2/clusters/" + e.cluster() + "/services/"
                            + e.service() + "/deployments?region=" + region);
        }
        if (f.logGroup() != null) {
            n.link(
                    "Service logs",
                    "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                            + "#logsV2:log-groups/log-group/"
                            + URLEncoder.encode(f.logGroup(), StandardCharsets.UTF_8)
                                    .replace("%", "$25")); // the console's own escaping
        }
    }

    static String duration(long seconds) {
        return seconds < 60 ? seconds + " s" : (seconds / 60) + " min " + (seconds % 60) + " s";
    }
}
