package com.kfood.ops.deploy;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import com.kfood.ops.shared.incident.Incidents;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One notification per meaningful deployment transition, enriched, deduplicated across deliveries,
 * and the deployment metrics per service (started, succeeded, failed, rolled back, duration) from
 * which deployment frequency and change-failure rate are graphed. A deployment that a remediation
 * started is named as such, with its incident, and its end goes into the incident's timeline.
 */
public final class DeployNotifier implements OpsFunction {
    /** Task crashes and service warnings of one service: at most one notification per window. */
    private static final long STORM_WINDOW_SECONDS = 15 * 60;

    private final Enricher enricher;
    private final OnceMarkers markers;
    private final Incidents incidents;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final DeployConfig config;

    /** What it keeps between events: the once-markers (duplicates, storms) and the incident log. */
    public record Memory(OnceMarkers markers, Incidents incidents) {}

    public DeployNotifier(
            DeployConfig config,
            Enricher enricher,
            Memory memory,
            Notifier notifier,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock) {
        this.config = config;
        this.enricher = enricher;
        this.markers = memory.markers();
        this.incidents = memory.incidents();
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(enricher.primingCalls()));
        calls.add(markers.primingCall());
        calls.addAll(List.of(incidents.primingCalls()));
        calls.add(notifier::prime);
        return calls.toArray(Runnable[]::new);
    }

    @Override
    public DeployResult handle(JsonNode event, Context context) {
        return handle(DeployEvent.parse(event));
    }

    /** An event it does not understand is answered as ignored: EventBridge would only retry it. */
    @Override
    public DeployResult rejected(InvalidEventException e) {
        return DeployResult.ignored(e.getMessage());
    }

    public DeployResult handle(DeployEvent e) {
        if (e.kind() == DeployEvent.Kind.ECS_SERVICE_ACTION
                && !"WARN".equals(e.eventType())
                && !"ERROR".equals(e.eventType())) {
            return result(e, DeployResult.Outcome.IGNORED, "informational service event", false, List.of());
        }
        if (e.kind() == DeployEvent.Kind.ECS_TASK_STOPPED && enricher.deploying(e)) {
            return result(
                    e,
                    DeployResult.Outcome.IGNORED,
                    "task stopped during a deployment: the deployment's events cover it",
                    false,
                    List.of());
        }
        if (config.dryRun()) {
            return dryRun(e);
        }
        if (!markers.claim(markerKey(e))) {
            boolean storm =
                    e.kind() == DeployEvent.Kind.ECS_TASK_STOPPED || e.kind() == DeployEvent.Kind.ECS_SERVICE_ACTION;
            log.info(storm ? "rate limited" : "duplicate event", "event", e.name(), "subject", e.subject());
            return result(
                    e,
                    storm ? DeployResult.Outcome.RATE_LIMITED : DeployResult.Outcome.DUPLICATE,
                    storm ? "already notified for this service in the last 15 min" : "already notified",
                    false,
                    List.of());
        }
        Enrichment facts = enricher.enrich(e);
        Incidents.Incident incident = startedFor(e);
        record(e, facts);
        if (incident != null) {
            ended(e, facts, incident);
        }
        if (isStart(e) && !config.notifyStarts()) {
            return result(
                    e,
                    DeployResult.Outcome.QUIET,
                    "deployment start: counted, not notified",
                    false,
                    facts.lookupErrors());
        }
        boolean sent = notifier.send(DeployNotice.of(e, facts, incident));
        return result(e, DeployResult.Outcome.NOTIFIED, DeployNotice.severity(e).name(), sent, facts.lookupErrors());
    }

    /** Reads only: the lookups run, nothing is claimed, counted or sent. */
    private DeployResult dryRun(DeployEvent e) {
        Enrichment facts = enricher.enrich(e);
        Incidents.Incident incident = startedFor(e);
        boolean quiet = isStart(e) && !config.notifyStarts();
        log.info(
                "dry run: would " + (quiet ? "count, not notify" : "notify"),
                "event",
                e.name(),
                "subject",
                e.subject(),
                "title",
                quiet ? "" : DeployNotice.of(e, facts, incident).title());
        return result(
                e,
                DeployResult.Outcome.DRY_RUN,
                quiet
                        ? "would count, not notify"
                        : "would notify: " + DeployNotice.severity(e).name(),
                false,
                facts.lookupErrors());
    }

    /** The incident whose remediation started this ECS deployment; null for any other deployment. */
    private Incidents.Incident startedFor(DeployEvent e) {
        if (e.kind() != DeployEvent.Kind.ECS_DEPLOYMENT || e.deploymentId() == null) {
            return null;
        }
        try {
            return incidents.byDeployment(e.deploymentId()).orElse(null);
        } catch (SdkException ex) {
            log.warn("incident link unreadable", "deployment", e.deploymentId(), "error", Errors.describe(ex));
            return null;
        }
    }

    /** The end of a remediation's deployment, as a moment of its incident. */
    private void ended(DeployEvent e, Enrichment facts, Incidents.Incident incident) {
        String kind = switch (e.name()) {
            case "SERVICE_DEPLOYMENT_COMPLETED" -> Incidents.DEPLOYMENT_DONE;
            case "SERVICE_DEPLOYMENT_FAILED" -> Incidents.DEPLOYMENT_FAILED;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        String text = "deployment " + e.deploymentId()
                + (kind.equals(Incidents.DEPLOYMENT_DONE) ? " completed" : " FAILED")
                + (facts.durationSeconds() == null ? "" : " in " + DeployNotice.duration(facts.durationSeconds()));
        try {
            incidents.add(
                    incident.id(), new Incidents.Entry(e.time() != null ? e.time() : clock.instant(), kind, text));
        } catch (SdkException ex) {
            log.warn("incident entry not kept", "incident", incident.id(), "error", Errors.describe(ex));
        }
    }

    /** The same transition always gives the same key; storms share one per window. */
    private String markerKey(DeployEvent e) {
        return switch (e.kind()) {
            case ECS_TASK_STOPPED, ECS_SERVICE_ACTION ->
                "ratelimit/" + e.subject() + "/" + e.name() + "/"
                        + (clock.instant().getEpochSecond() / STORM_WINDOW_SECONDS);
            default ->
                "dedup/" + e.subject() + "/" + e.deploymentId() + "/" + e.name() + (e.isRollback() ? "-rollback" : "");
        };
    }

    static boolean isStart(DeployEvent e) {
        return ("SERVICE_DEPLOYMENT_IN_PROGRESS".equals(e.name()) && !e.isRollback()) || "START".equals(e.name());
    }

    private void record(DeployEvent e, Enrichment facts) {
        Map<String, String> dims =
                Map.of("ServiceName", e.kind() == DeployEvent.Kind.CODEDEPLOY ? e.application() : e.service());
        String metric = switch (e.name()) {
            case "SERVICE_DEPLOYMENT_IN_PROGRESS" -> e.isRollback() ? "DeploymentsRolledBack" : "DeploymentsStarted";
            case "START" -> "DeploymentsStarted";
            case "SERVICE_DEPLOYMENT_COMPLETED", "SUCCESS" -> "DeploymentsSucceeded";
            case "SERVICE_DEPLOYMENT_FAILED", "FAILURE" -> "DeploymentsFailed";
            case "STOP" -> "DeploymentsStopped";
            case "TASK_STOPPED" -> "TaskCrashes";
            default -> e.kind() == DeployEvent.Kind.ECS_SERVICE_ACTION ? "ServiceProblems" : null;
        };
        if (metric != null) {
            metrics.put(metric, 1, OpsMetrics.Unit.COUNT, dims);
        }
        boolean finished =
                metric != null && (metric.equals("DeploymentsSucceeded") || metric.equals("DeploymentsFailed"));
        if (finished && facts.durationSeconds() != null) {
            metrics.put("DeploymentDurationSeconds", facts.durationSeconds(), OpsMetrics.Unit.NONE, dims);
        }
    }

    private DeployResult result(
            DeployEvent e, DeployResult.Outcome outcome, String detail, boolean notified, List<String> errors) {
        return new DeployResult(e.id(), e.kind().name(), e.subject(), e.name(), outcome, detail, notified, errors);
    }
}
