package com.kfood.ops.remediation;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import com.kfood.ops.shared.incident.Incidents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns one alarm state change into a decision: the matching rule's runbook behind the guard rails
 * (no action during a deployment, per-target cooldown and hourly cap, one action per alarm
 * transition, dry run), then one notification that says exactly what happened. Every change of one
 * alarm episode (ALARM until OK) carries the episode's incident id, and the recovery tells the
 * episode's timeline.
 */
public final class Remediation implements OpsFunction {
    private final RuleSet rules;
    private final Platform platform;
    private final Cooldown cooldown;
    private final Episodes episodes;
    private final Readings readings;
    private final Recovery recovery;
    private final AlarmConfirmation confirmation;
    private final Verdicts verdicts;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final boolean dryRun;
    private final Duration minimumHold;
    /** Reads the service's error lines while the action runs; built once per instance. */
    private final ExecutorService alongside = Executors.newSingleThreadExecutor(Futures.daemonThreads("error-lines"));

    public Remediation(
            RemediationConfig config,
            Platform platform,
            Incidents incidents,
            Notifier notifier,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock) {
        this.rules = config.rules();
        this.platform = platform;
        this.episodes = new Episodes(incidents, log, clock);
        this.readings = new Readings(platform, clock);
        this.recovery = new Recovery(platform, episodes, clock, config.dryRun());
        this.confirmation = new AlarmConfirmation(config.alarmPrefixes(), platform);
        this.verdicts = new Verdicts(episodes, notifier, metrics, log);
        this.cooldown = config.cooldown();
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
        this.dryRun = config.dryRun();
        this.minimumHold = config.minimumHold();
    }

    @Override
    public Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(platform.primingCalls()));
        calls.addAll(List.of(episodes.primingCalls()));
        calls.add(notifier::prime);
        return calls.toArray(Runnable[]::new);
    }

    /** Every alarm state change in the message (an SNS batch may carry several), each decided on its own. */
    @Override
    public RemediationResult handle(JsonNode event, Context context) {
        List<Decision> decisions = new ArrayList<>();
        for (AlarmParser.Parsed parsed : AlarmParser.parse(event)) {
            decisions.add(parsed.alarm() == null ? notUnderstood(parsed.problem()) : handle(parsed.alarm()));
        }
        return new RemediationResult(decisions);
    }

    /** A message that cannot be read is answered, not thrown: SNS would only retry it. */
    @Override
    public RemediationResult rejected(InvalidEventException e) {
        return new RemediationResult(List.of(notUnderstood(e.getMessage())));
    }

    /** A message that is not an alarm: said once, never retried. */
    public Decision notUnderstood(String problem) {
        log.warn("alarm message not understood", "problem", problem);
        metrics.count("MessagesNotUnderstood", 1);
        return Decision.notUnderstood(problem).withNotified(notifier.send(AlarmNotice.unreadable(problem)));
    }

    public Decision handle(AlarmChange change) {
        // the rules read the alarm's name and metrics, never its episode: matched once
        Rule rule = rules.match(change).orElse(null);
        Decision doubted = unconfirmed(change, rule);
        if (doubted != null) {
            return doubted;
        }
        AlarmChange alarm = episodes.inIncident(change);
        Decision decision;
        try {
            String stale = episodes.stale(alarm);
            if (stale != null) {
                return verdicts.late(alarm, rule, stale);
            }
            if ("OK".equals(alarm.newState())) {
                return verdicts.told(
                        alarm,
                        rule,
                        Decision.Outcome.RECOVERED,
                        null,
                        "recovered from " + alarm.oldState(),
                        recovery.facts(alarm, rule));
            }
            if (!alarm.isAlarm() || rule == null || rule.action() == Runbook.NOTIFY) {
                return explain(alarm, rule);
            }
            decision = rule.action() == Runbook.RDS_DIAGNOSE ? diagnose(alarm, rule) : guarded(alarm, rule);
        } catch (SdkException e) {
            // a read the decision needed failed: nothing was done, and the notification says why
            decision = Verdicts.decision(
                    alarm, rule, Decision.Outcome.FAILED, null, "could not decide: " + Errors.describe(e));
            return verdicts.finish(alarm, rule, decision, Map.of());
        }
        return decision;
    }

    /**
     * Anyone allowed to publish to the topic (or invoke the function) can write an ALARM message: an
     * action waits for CloudWatch to hold the alarm, one of ours, in ALARM now. Null when confirmed,
     * or when the change acts on nothing. Decided before the incident log, so a forged message opens
     * no episode.
     */
    private Decision unconfirmed(AlarmChange alarm, Rule rule) {
        if (!alarm.isAlarm() || rule == null || !rule.action().mutating) {
            return null;
        }
        String doubt;
        Decision.Outcome outcome = Decision.Outcome.NOT_CONFIRMED;
        try {
            doubt = confirmation.doubt(alarm);
        } catch (SdkException e) {
            doubt = "could not confirm the alarm with CloudWatch: " + Errors.describe(e);
            outcome = Decision.Outcome.FAILED;
        }
        if (doubt == null) {
            return null;
        }
        log.warn("alarm not confirmed", "alarm", alarm.name(), "why", doubt);
        String detail = outcome == Decision.Outcome.FAILED ? doubt : doubt + ": nothing done";
        return verdicts.told(alarm, rule, outcome, null, detail, Map.of());
    }

    private Decision guarded(AlarmChange alarm, Rule rule) {
        Rule.ResolvedTarget target = rule.resolve(alarm);
        if (target.refusal() != null) {
            return verdicts.told(
                    alarm, rule, Decision.Outcome.SUPPRESSED, null, "refused: " + target.refusal(), Map.of());
        }
        String key = Cooldown.hash(alarm.transitionKey());
        Instant now = clock.instant();
        if (rule.action() == Runbook.RDS_REBOOT) {
            return rdsReboot(alarm, rule, target.get("dbInstance"), key, now);
        }
        String name = "ecs:" + target.get("cluster") + "/" + target.get("service");
        Platform.EcsService service = platform.ecsService(target.get("cluster"), target.get("service"));
        if (service == null) {
            return verdicts.told(
                    alarm, rule, Decision.Outcome.FAILED, name, "service not found or not active", Map.of());
        }
        if (service.history().handled(key)) {
            return verdicts.duplicate(alarm, rule, name);
        }
        return ecsRunbook(alarm, rule, name, service, key, now);
    }

    /** An ECS runbook on a service found: the maximum, the guard rails, then the action planned and done. */
    private Decision ecsRunbook(
            AlarmChange alarm, Rule rule, String name, Platform.EcsService service, String key, Instant now) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Service", "desired " + service.desired() + ", running " + service.running());
        Platform.ScalableTarget scaling =
                rule.action() == Runbook.ECS_SCALE_OUT ? platform.scalableTarget(service) : null;
        if (scaling != null && service.desired() >= scaling.max()) {
            // at the maximum whatever the cooldown says: only a person can move it
            return atLimit(alarm, rule, name, service, scaling, facts);
        }
        String refusal = service.deploymentInProgress() != null
                ? "a deployment is in progress: " + service.deploymentInProgress()
                : cooldown.refusal(service.history(), now);
        PlannedAction action = PlannedAction.newDeployment(name);
        if (refusal == null && rule.action() == Runbook.ECS_SCALE_OUT) {
            action = scaleOut(rule, name, service, scaling, now, facts);
            if (scaling == null && action.toTasks() <= service.desired()) {
                refusal = "already at the maximum of " + action.toTasks() + " tasks";
            }
        }
        if (refusal != null) {
            facts.putAll(readings.errorLines(alarm, service));
            return verdicts.told(alarm, rule, Decision.Outcome.SUPPRESSED, name, refusal, facts);
        }
        // read while the action runs: the lines are for the notification, and the action waits for nothing
        Future<Map<String, String>> lines = alongside.submit(() -> readings.errorLines(alarm, service));
        PlannedAction planned = action;
        Decision done =
                execute(alarm, rule, name, planned, () -> actOnService(alarm, service, scaling, planned, key, now));
        facts.putAll(Futures.join(lines, "the service's error lines"));
        return verdicts.finish(alarm, rule, done, facts);
    }

    /**
     * A scale-out by the rule's step: through the autoscaling minimum, held for a while, when the
     * service has a scalable target; else its desired count, never above the rule's maximum.
     */
    private PlannedAction scaleOut(
            Rule rule,
            String name,
            Platform.EcsService service,
            Platform.ScalableTarget scaling,
            Instant now,
            Map<String, String> facts) {
        int step = Integer.parseInt(rule.params().getOrDefault("step", "1").strip());
        if (scaling == null) {
            int max = Integer.parseInt(rule.params().getOrDefault("max", "10").strip());
            return PlannedAction.scale(name, service.desired(), Math.min(service.desired() + step, max));
        }
        facts.put("Autoscaling", Readings.autoscaling(scaling));
        // the original minimum is the one before any hold of ours, never a minimum we raised
        int original = scaling.hold() != null ? scaling.hold().originalMin() : scaling.min();
        return PlannedAction.holdMinimum(
                name,
                scaling.min(),
                Math.min(Math.max(service.desired(), scaling.min()) + step, scaling.max()),
                original,
                now.plus(minimumHold));
    }

    /** The action itself, the transition claimed first: a crash or a retry after that cannot act twice. */
    private String actOnService(
            AlarmChange alarm,
            Platform.EcsService service,
            Platform.ScalableTarget scaling,
            PlannedAction planned,
            String key,
            Instant now) {
        platform.recordEcs(service, service.history().plus(new Cooldown.Entry(now, key)));
        if (planned.runbook() == Runbook.ECS_SCALE_OUT) {
            if (planned.holdUntil() != null) {
                platform.holdMinimum(service, scaling, planned.toTasks(), planned.restoreTo(), planned.holdUntil());
            } else {
                platform.setDesiredCount(service, planned.toTasks());
            }
            return planned.done();
        }
        String deployment = platform.forceNewDeployment(service);
        if (deployment == null) {
            return "new deployment started";
        }
        episodes.link(deployment, alarm);
        return "new deployment " + deployment + " started";
    }

    /**
     * At the autoscaling maximum: nothing is touched and a person is called, once. The transition is
     * noted on the service (not as an action: it counts for no cooldown or cap), so a redelivered
     * message is known and does not page again.
     */
    private Decision atLimit(
            AlarmChange alarm,
            Rule rule,
            String name,
            Platform.EcsService service,
            Platform.ScalableTarget scaling,
            Map<String, String> facts) {
        String key = Cooldown.hash(alarm.transitionKey());
        Instant now = clock.instant();
        facts.put("Autoscaling", Readings.autoscaling(scaling));
        facts.putAll(readings.errorLines(alarm, service));
        if (!dryRun) {
            try {
                platform.recordEcs(service, service.history().plus(new Cooldown.Entry(now, key, false)));
            } catch (SdkException e) {
                log.warn("transition at the maximum not noted", "target", name, "error", Errors.describe(e));
            }
        }
        return verdicts.told(
                alarm,
                rule,
                Decision.Outcome.AT_LIMIT,
                name,
                "at the autoscaling maximum of " + scaling.max() + "; raising it needs a person",
                facts);
    }

    /** A guarded action, past every guard rail: said in a dry run, else done. */
    private Decision execute(AlarmChange alarm, Rule rule, String name, PlannedAction action, Supplier<String> act) {
        if (dryRun) {
            return Verdicts.decision(
                    alarm, rule, Decision.Outcome.WOULD_EXECUTE, name, "dry run: would " + action.planned());
        }
        try {
            return Verdicts.decision(alarm, rule, Decision.Outcome.EXECUTED, name, act.get());
        } catch (SdkException e) {
            return Verdicts.decision(
                    alarm,
                    rule,
                    Decision.Outcome.FAILED,
                    name,
                    "could not " + action.planned() + ": " + Errors.describe(e));
        }
    }

    private Decision rdsReboot(AlarmChange alarm, Rule rule, String db, String key, Instant now) {
        String name = "rds:" + db;
        Platform.Database database = platform.database(db);
        if (database == null) {
            return verdicts.told(alarm, rule, Decision.Outcome.FAILED, name, "database not found", Map.of());
        }
        if (database.history().handled(key)) {
            return verdicts.duplicate(alarm, rule, name);
        }
        String refusal = !"available".equals(database.status())
                ? "database is " + database.status() + ", not available"
                : cooldown.refusal(database.history(), now);
        Map<String, String> facts =
                Map.of("Database", "status " + database.status() + ", Multi-AZ " + database.multiAz());
        if (refusal != null) {
            return verdicts.told(alarm, rule, Decision.Outcome.SUPPRESSED, name, refusal, facts);
        }
        PlannedAction action = PlannedAction.reboot(db, database.multiAz());
        return verdicts.finish(
                alarm,
                rule,
                execute(alarm, rule, name, action, () -> {
                    platform.recordDatabase(database, database.history().plus(new Cooldown.Entry(now, key)));
                    platform.reboot(database);
                    return action.done();
                }),
                facts);
    }

    private Decision diagnose(AlarmChange alarm, Rule rule) {
        Rule.ResolvedTarget target = rule.resolve(alarm);
        if (target.refusal() != null) {
            return verdicts.told(
                    alarm, rule, Decision.Outcome.SUPPRESSED, null, "refused: " + target.refusal(), Map.of());
        }
        String db = target.get("dbInstance");
        Map<String, String> facts = readings.database(db);
        facts.put("Recent values", readings.datapoints(alarm));
        Decision d = Verdicts.decision(
                alarm, rule, Decision.Outcome.NOTIFIED, "rds:" + db, "diagnosed (read only; rds-reboot is opt-in)");
        return verdicts.finish(alarm, rule, d, facts);
    }

    private Decision explain(AlarmChange alarm, Rule rule) {
        Map<String, String> facts = readings.explanation(alarm);
        String detail = rule == null
                ? "no runbook matches: explained only"
                : rule.action() == Runbook.NOTIFY
                        ? "notified (" + rule.name() + ")"
                        : "state " + alarm.newState() + ": nothing to do";
        return verdicts.told(alarm, rule, Decision.Outcome.NOTIFIED, null, detail, facts);
    }
}
