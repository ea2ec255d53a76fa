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
 * started is named as such, with its incident, and its end goes into the incident's timeline. Each
 * finished deployment carries its zero-downtime verdict ({@link ZeroDowntime}), counted as
 * {@code DeploymentsWithDowntime}.
 */
public final class DeployNotifier implements OpsFunction {
    /** Task crashes and service warnings of one service: at most one notification per window. */
    private static final long STORM_WINDOW_SECONDS = 15 * 60;

    private final Enricher enricher;
    private final ZeroDowntime zeroDowntime;
    private final OnceMarkers markers;
    private final Incidents incidents;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final DeployConfig config;

    /** What it keeps between events: the once-markers (duplicates, storms) and the incident log. */
    public record Memory(OnceMarkers markers, Incidents incidents) {}

    /** What it looks up: the service's facts and its deployment's traffic. */
    public record Lookups(Enricher enricher, Traffic traffic) {}

    public DeployNotifier(
            DeployConfig config,
            Lookups lookups,
            Memory memory,
            Notifier notifier,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock) {
        this.config = config;
        this.enricher = lookups.enricher();
        this.zeroDowntime =
                new ZeroDowntime(lookups.traffic(), config.verdicts().latencyRisePercent());
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
        calls.addAll(List.of(zeroDowntime.primingCalls()));
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
        DowntimeVerdict verdict = verdict(e);
        record(e, facts, verdict);
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
        DeployNotice notice =
                new DeployNotice(e, facts, incident, verdict, config.verdicts().downtimePages());
        boolean sent = notifier.send(notice.notification());
        return result(e, DeployResult.Outcome.NOTIFIED, notice.severity().name(), sent, facts.lookupErrors());
    }

    /** The zero-downtime verdict of a deployment that has just finished; null for any other event. */
    private DowntimeVerdict verdict(DeployEvent e) {
        if (!ZeroDowntime.finishes(e)) {
            return null;
        }
        DowntimeVerdict v = zeroDowntime.judge(enricher.placement(e), e.time() != null ? e.time() : clock.instant());
        log.info("zero-downtime verdict", "subject", e.subject(), "deployment", e.deploymentId(), "verdict", v.text());
        return v;
    }

    /** Reads only: the lookups run, nothing is claimed, counted or sent. */
    private DeployResult dryRun(DeployEvent e) {
        Enrichment facts = enricher.enrich(e);
        Incidents.Incident incident = startedFor(e);
        DeployNotice notice = new DeployNotice(
                e, facts, incident, verdict(e), config.verdicts().downtimePages());
        boolean quiet = isStart(e) && !config.notifyStarts();
        log.info(
                "dry run: would " + (quiet ? "count, not notify" : "notify"),
                "event",
                e.name(),
                "subject",
                e.subject(),
                "title",
                quiet ? "" : notice.notification().title());
        return result(
                e,
                DeployResult.Outcome.DRY_RUN,
                quiet
                        ? "would count, not notify"
                        : "would notify: " + notice.severity().name(),
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

    private void record(DeployEvent e, Enrichment facts, DowntimeVerdict verdict) {
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
        if (verdict != null && verdict.status() != DowntimeVerdict.Status.NOT_MEASURED) {
            // 1 or 0 per judged deployment: the sum counts them, the sample count says how many were judged
            metrics.put(
                    "DeploymentsWithDowntime",
                    verdict.status() == DowntimeVerdict.Status.NO ? 1 : 0,
                    OpsMetrics.Unit.COUNT,
                    dims);
        }
    }

    private DeployResult result(
            DeployEvent e, DeployResult.Outcome outcome, String detail, boolean notified, List<String> errors) {
        return new DeployResult(e.id(), e.kind().name(), e.subject(), e.name(), outcome, detail, notified, errors);
    }
}
