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
import com.kfood.ops.shared.Text;
import com.kfood.ops.shared.incident.Incidents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private static final Duration DATA_WINDOW = Duration.ofMinutes(30);
    /** The service's ERROR lines quoted with an alarm: from this long before it. */
    private static final Duration LOG_WINDOW = Duration.ofMinutes(10);

    private static final int LOG_LINES = 5;
    /** An alarm ARN is at most about 330 characters (a name at most 255). */
    private static final int MAX_ALARM_KEY = 512;

    private final RuleSet rules;
    private final Platform platform;
    private final Cooldown cooldown;
    private final Incidents incidents;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final boolean dryRun;
    private final Duration minimumHold;
    private final List<String> alarmPrefixes;
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
        this.incidents = incidents;
        this.cooldown = config.cooldown();
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
        this.dryRun = config.dryRun();
        this.minimumHold = config.minimumHold();
        this.alarmPrefixes = config.alarmPrefixes();
    }

    @Override
    public Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(platform.primingCalls()));
        calls.addAll(List.of(incidents.primingCalls()));
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
        Decision d =
                new Decision(null, null, null, "none", Decision.Outcome.NOT_UNDERSTOOD, null, problem, null, false);
        return d.withNotified(notifier.send(AlarmNotice.unreadable(problem)));
    }

    public Decision handle(AlarmChange change) {
        Decision doubted = unconfirmed(change);
        if (doubted != null) {
            return doubted;
        }
        AlarmChange alarm = inIncident(change);
        var rule = rules.match(alarm).orElse(null);
        Decision decision;
        try {
            String stale = stale(alarm);
            if (stale != null) {
                return late(alarm, rule, stale);
            }
            if ("OK".equals(alarm.newState())) {
                return recovered(alarm, rule);
            }
            if (!alarm.isAlarm() || rule == null || rule.action() == Runbook.NOTIFY) {
                return explain(alarm, rule);
            }
            decision = rule.action() == Runbook.RDS_DIAGNOSE ? diagnose(alarm, rule) : guarded(alarm, rule);
        } catch (SdkException e) {
            // a read the decision needed failed: nothing was done, and the notification says why
            decision = decision(alarm, rule, Decision.Outcome.FAILED, null, "could not decide: " + Errors.describe(e));
            return finish(alarm, rule, decision, Map.of());
        }
        return decision;
    }

    /**
     * Anyone allowed to publish to the topic (or invoke the function) can write an ALARM message: an
     * action waits for CloudWatch to hold the alarm, one of ours, in ALARM now. Null when confirmed,
     * or when the change acts on nothing. Decided before the incident log, so a forged message opens
     * no episode.
     */
    private Decision unconfirmed(AlarmChange alarm) {
        Rule rule = rules.match(alarm).orElse(null);
        if (!alarm.isAlarm()
                || rule == null
                || rule.action() == Runbook.NOTIFY
                || rule.action() == Runbook.RDS_DIAGNOSE) {
            return null;
        }
        String doubt;
        Decision.Outcome outcome = Decision.Outcome.NOT_CONFIRMED;
        try {
            doubt = doubt(alarm);
        } catch (SdkException e) {
            doubt = "could not confirm the alarm with CloudWatch: " + Errors.describe(e);
            outcome = Decision.Outcome.FAILED;
        }
        if (doubt == null) {
            return null;
        }
        log.warn("alarm not confirmed", "alarm", alarm.name(), "why", doubt);
        String detail = outcome == Decision.Outcome.FAILED ? doubt : doubt + ": nothing done";
        return finish(alarm, rule, decision(alarm, rule, outcome, null, detail), Map.of());
    }

    private String doubt(AlarmChange alarm) {
        if (alarmPrefixes.stream().noneMatch(alarm.name()::startsWith)) {
            return "not one of this stack's alarms (" + String.join(", ", alarmPrefixes) + "*)";
        }
        Platform.AlarmNow now = platform.alarmNow(alarm.name());
        if (now == null) {
            return "CloudWatch has no such alarm";
        }
        if (alarm.arn() != null && !alarm.arn().equals(now.arn())) {
            return "the message names another alarm ARN than CloudWatch's";
        }
        return "ALARM".equals(now.state()) ? null : "CloudWatch has it in " + now.state() + " now, not ALARM";
    }

    /**
     * The change with its episode: an ALARM opens one (or continues the open one); an OK, or an
     * INSUFFICIENT_DATA on the way, belongs to the open one if there is one. The incident log is a
     * help, not a guard rail: when it cannot be reached, the alarm is handled without it.
     */
    private AlarmChange inIncident(AlarmChange alarm) {
        if (alarm.key().length() > MAX_ALARM_KEY) {
            return alarm; // no CloudWatch alarm has such a name or ARN: nothing of it is kept
        }
        Instant at = alarm.changedAt() != null ? alarm.changedAt() : clock.instant();
        try {
            Incidents.Incident episode;
            if (alarm.isAlarm()) {
                episode = incidents.open(alarm.key(), at);
                if (!episode.isOpen() && at.isBefore(episode.closed())) {
                    return alarm.inIncident(episode); // older than the episode's OK: it changes nothing
                }
                incidents.add(
                        episode.id(),
                        new Incidents.Entry(
                                at,
                                Incidents.ALARM,
                                "ALARM"
                                        + (alarm.oldState() == null
                                                ? ""
                                                : " (from " + Text.printable(alarm.oldState(), 20) + ")")));
            } else {
                // an OK delivered again after it closed the episode still belongs to it
                boolean ok = "OK".equals(alarm.newState());
                episode = incidents
                        .latest(alarm.key())
                        .filter(i -> i.isOpen() || (ok && at.equals(i.closed())))
                        .orElse(null);
            }
            return episode == null ? alarm : alarm.inIncident(episode);
        } catch (SdkException e) {
            log.warn("incident log unavailable", "alarm", alarm.name(), "error", Errors.describe(e));
            return alarm;
        }
    }

    private Decision guarded(AlarmChange alarm, Rule rule) {
        Rule.ResolvedTarget target = rule.resolve(alarm);
        if (target.refusal() != null) {
            return finish(
                    alarm,
                    rule,
                    decision(alarm, rule, Decision.Outcome.SUPPRESSED, null, "refused: " + target.refusal()),
                    Map.of());
        }
        String key = Cooldown.hash(alarm.transitionKey());
        Instant now = clock.instant();
        if (rule.action() == Runbook.RDS_REBOOT) {
            return rdsReboot(alarm, rule, target.get("dbInstance"), key, now);
        }
        String name = "ecs:" + target.get("cluster") + "/" + target.get("service");
        Platform.EcsService service = platform.ecsService(target.get("cluster"), target.get("service"));
        if (service == null) {
            return finish(
                    alarm,
                    rule,
                    decision(alarm, rule, Decision.Outcome.FAILED, name, "service not found or not active"),
                    Map.of());
        }
        if (service.history().handled(key)) {
            return duplicate(alarm, rule, name);
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Service", "desired " + service.desired() + ", running " + service.running());
        Platform.ScalableTarget scaling =
                rule.action() == Runbook.ECS_SCALE_OUT ? platform.scalableTarget(service) : null;
        if (scaling != null && service.desired() >= scaling.max()) {
            // at the maximum whatever the cooldown says: only a person can move it
            return atLimit(alarm, rule, name, service, scaling, key, now, facts);
        }
        String refusal = service.deploymentInProgress() != null
                ? "a deployment is in progress: " + service.deploymentInProgress()
                : cooldown.refusal(service.history(), now);
        PlannedAction action = PlannedAction.newDeployment(name);
        if (refusal == null && rule.action() == Runbook.ECS_SCALE_OUT) {
            int step = Integer.parseInt(rule.params().getOrDefault("step", "1").strip());
            if (scaling == null) {
                int max =
                        Integer.parseInt(rule.params().getOrDefault("max", "10").strip());
                action = PlannedAction.scale(name, service.desired(), Math.min(service.desired() + step, max));
                if (action.toTasks() <= service.desired()) {
                    refusal = "already at the maximum of " + max + " tasks";
                }
            } else {
                facts.put("Autoscaling", autoscaling(scaling));
                // the original minimum is the one before any hold of ours, never a minimum we raised
                int original = scaling.hold() != null ? scaling.hold().originalMin() : scaling.min();
                action = PlannedAction.holdMinimum(
                        name,
                        scaling.min(),
                        Math.min(Math.max(service.desired(), scaling.min()) + step, scaling.max()),
                        original,
                        now.plus(minimumHold));
            }
        }
        if (refusal != null) {
            facts.putAll(errorLines(alarm, service));
            return finish(alarm, rule, decision(alarm, rule, Decision.Outcome.SUPPRESSED, name, refusal), facts);
        }
        // read while the action runs: the lines are for the notification, and the action waits for nothing
        Future<Map<String, String>> lines = alongside.submit(() -> errorLines(alarm, service));
        PlannedAction planned = action;
        Platform.ScalableTarget held = scaling;
        Decision done = execute(alarm, rule, name, planned, () -> {
            // claim the transition first: a crash or a retry after this point cannot act twice
            platform.recordEcs(service, service.history().plus(new Cooldown.Entry(now, key)));
            if (planned.runbook() == Runbook.ECS_SCALE_OUT) {
                if (planned.holdUntil() != null) {
                    platform.holdMinimum(service, held, planned.toTasks(), planned.restoreTo(), planned.holdUntil());
                } else {
                    platform.setDesiredCount(service, planned.toTasks());
                }
                return planned.done();
            }
            String deployment = platform.forceNewDeployment(service);
            if (deployment == null) {
                return "new deployment started";
            }
            link(deployment, alarm);
            return "new deployment " + deployment + " started";
        });
        facts.putAll(Futures.join(lines, "the service's error lines"));
        return finish(alarm, rule, done, facts);
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
            String key,
            Instant now,
            Map<String, String> facts) {
        facts.put("Autoscaling", autoscaling(scaling));
        facts.putAll(errorLines(alarm, service));
        if (!dryRun) {
            try {
                platform.recordEcs(service, service.history().plus(new Cooldown.Entry(now, key, false)));
            } catch (SdkException e) {
                log.warn("transition at the maximum not noted", "target", name, "error", Errors.describe(e));
            }
        }
        return finish(
                alarm,
                rule,
                decision(
                        alarm,
                        rule,
                        Decision.Outcome.AT_LIMIT,
                        name,
                        "at the autoscaling maximum of " + scaling.max() + "; raising it needs a person"),
                facts);
    }

    /**
     * Why the change arrived too late to matter, or null: an ALARM older than the OK that closed its
     * episode, or an OK older than the open episode's latest ALARM. Either would undo what a newer
     * change decided (restore a minimum mid-incident, act after recovery).
     */
    private String stale(AlarmChange alarm) {
        Incidents.Incident episode = alarm.incident();
        Instant at = alarm.changedAt();
        if (episode == null || at == null) {
            return null;
        }
        if (alarm.isAlarm()) {
            return !episode.isOpen() && at.isBefore(episode.closed())
                    ? "an ALARM of " + at + ", older than the OK of " + episode.closed() + " that ended its episode"
                    : null;
        }
        if (!"OK".equals(alarm.newState()) || !episode.isOpen()) {
            return null;
        }
        Instant latestAlarm;
        try {
            latestAlarm = incidents.timeline(episode.id()).stream()
                    .filter(e -> e.kind().equals(Incidents.ALARM))
                    .map(Incidents.Entry::at)
                    .max(Comparator.naturalOrder())
                    .orElse(episode.start());
        } catch (SdkException e) {
            // the incident log is a help, not a guard rail: unread, the OK is handled as it comes
            log.warn("incident log unavailable", "alarm", alarm.name(), "error", Errors.describe(e));
            return null;
        }
        return at.isBefore(latestAlarm)
                ? "an OK of " + at + ", older than the episode's latest ALARM of " + latestAlarm
                : null;
    }

    /** A late change: nothing done, nothing restored, no incident closed, nobody paged; the log says why. */
    private Decision late(AlarmChange alarm, Rule rule, String why) {
        log.info(
                "alarm change arrived late: nothing changed",
                "alarm",
                alarm.name(),
                "why",
                why,
                "incident",
                incidentId(alarm));
        Decision d = decision(alarm, rule, Decision.Outcome.STALE, null, "late: " + why + "; nothing changed");
        count(d);
        return d;
    }

    private static String autoscaling(Platform.ScalableTarget t) {
        return "minimum " + t.min() + ", maximum " + t.max()
                + (t.hold() == null
                        ? ""
                        : "; minimum held by kfood-ops (back to " + t.hold().originalMin()
                                + (t.hold().until() == null
                                        ? ""
                                        : " at " + t.hold().until()) + ")");
    }

    /** Tells whoever reports the deployment that this episode started it; a deployment that goes unnamed is no failure. */
    private void link(String deployment, AlarmChange alarm) {
        if (alarm.incident() == null) {
            return;
        }
        try {
            incidents.linkDeployment(deployment, alarm.incident());
        } catch (SdkException e) {
            log.warn("deployment not linked to its incident", "deployment", deployment, "error", Errors.describe(e));
        }
    }

    /** The service's newest ERROR log lines before the alarm, masked, so the first look needs no console. */
    private Map<String, String> errorLines(AlarmChange alarm, Platform.EcsService service) {
        Map<String, String> facts = new LinkedHashMap<>();
        Instant to = alarm.changedAt() != null ? alarm.changedAt() : clock.instant();
        try {
            Platform.ErrorLines lines = platform.recentErrors(service, to.minus(LOG_WINDOW), to, LOG_LINES);
            if (lines.logGroup() == null) {
                facts.put("Error logs", "the service's tasks do not log to CloudWatch Logs");
                return facts;
            }
            facts.put(
                    "Error logs",
                    lines.matched() == 0
                            ? "no ERROR line in " + lines.logGroup() + " in the " + LOG_WINDOW.toMinutes()
                                    + " min before the alarm"
                            : lines.newest().size() + " newest of " + lines.matched()
                                    + (lines.matched() == 1 ? " ERROR line" : " ERROR lines")
                                    + " in " + lines.logGroup() + " in the " + LOG_WINDOW.toMinutes()
                                    + " min before the alarm (numbers and tokens masked)");
            for (int i = 0; i < lines.newest().size(); i++) {
                facts.put("  " + (i + 1), lines.newest().get(i));
            }
        } catch (SdkException e) {
            facts.put("Error logs", "unavailable: " + Errors.describe(e));
        }
        return facts;
    }

    /** A guarded action, past every guard rail: said in a dry run, else done. */
    private Decision execute(AlarmChange alarm, Rule rule, String name, PlannedAction action, Supplier<String> act) {
        if (dryRun) {
            return decision(alarm, rule, Decision.Outcome.WOULD_EXECUTE, name, "dry run: would " + action.planned());
        }
        try {
            return decision(alarm, rule, Decision.Outcome.EXECUTED, name, act.get());
        } catch (SdkException e) {
            return decision(
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
            return finish(
                    alarm, rule, decision(alarm, rule, Decision.Outcome.FAILED, name, "database not found"), Map.of());
        }
        if (database.history().handled(key)) {
            return duplicate(alarm, rule, name);
        }
        String refusal = !"available".equals(database.status())
                ? "database is " + database.status() + ", not available"
                : cooldown.refusal(database.history(), now);
        Map<String, String> facts =
                Map.of("Database", "status " + database.status() + ", Multi-AZ " + database.multiAz());
        if (refusal != null) {
            return finish(alarm, rule, decision(alarm, rule, Decision.Outcome.SUPPRESSED, name, refusal), facts);
        }
        PlannedAction action = PlannedAction.reboot(db, database.multiAz());
        return finish(
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
            return finish(
                    alarm,
                    rule,
                    decision(alarm, rule, Decision.Outcome.SUPPRESSED, null, "refused: " + target.refusal()),
                    Map.of());
        }
        String db = target.get("dbInstance");
        Map<String, String> facts = new LinkedHashMap<>();
        Platform.Database database = platform.database(db);
        if (database == null) {
            facts.put("Database", db + " not found");
        } else {
            facts.put(
                    "Database",
                    "status " + database.status() + ", " + database.engine() + ", " + database.instanceClass()
                            + ", Multi-AZ " + database.multiAz()
                            + (database.availabilityZone() == null
                                    ? ""
                                    : ", primary in " + database.availabilityZone()));
            List<String> events = readOrSay(() -> platform.recentDatabaseEvents(db, Duration.ofHours(1)));
            facts.put(
                    "RDS events (last hour)",
                    (events.isEmpty()
                            ? "none"
                            : String.join("; ", events.subList(Math.max(0, events.size() - 5), events.size()))));
        }
        facts.put("Recent values", datapoints(alarm));
        Decision d = decision(
                alarm, rule, Decision.Outcome.NOTIFIED, "rds:" + db, "diagnosed (read only; rds-reboot is opt-in)");
        return finish(alarm, rule, d, facts);
    }

    private Decision explain(AlarmChange alarm, Rule rule) {
        Map<String, String> facts = new LinkedHashMap<>();
        String check = alarm.dimension("Check");
        if (check != null) {
            facts.put("Failing check", check);
        }
        if (alarm.compositeRule() != null) {
            facts.put("Composite rule", alarm.compositeRule());
        }
        if (!alarm.metrics().isEmpty()) {
            facts.put("Recent values", datapoints(alarm));
        }
        String detail = rule == null
                ? "no runbook matches: explained only"
                : rule.action() == Runbook.NOTIFY
                        ? "notified (" + rule.name() + ")"
                        : "state " + alarm.newState() + ": nothing to do";
        return finish(alarm, rule, decision(alarm, rule, Decision.Outcome.NOTIFIED, null, detail), facts);
    }

    private Decision recovered(AlarmChange alarm, Rule rule) {
        Instant end = alarm.changedAt() != null ? alarm.changedAt() : clock.instant();
        Instant start = alarm.previousStateSince();
        String history = null;
        if (start == null && "ALARM".equals(alarm.oldState())) {
            try {
                start = platform.alarmStart(alarm.name(), end);
            } catch (SdkException e) {
                history = "alarm history unavailable (" + Errors.describe(e) + ")";
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(
                "Duration",
                start != null
                        ? "lasted " + minutes(Duration.between(start, end)) + " (since " + start + ")"
                        : "duration unknown: "
                                + (history != null ? history : "no transition to ALARM found in the last day"));
        if (rule != null && rule.action().mutating) {
            // up to now: the recovery is notified as it happens, and the alarm's own clock may lag ours
            Instant now = clock.instant();
            facts.put(
                    "During it",
                    actionsDuring(
                            alarm,
                            rule,
                            start != null ? start : end.minus(Duration.ofHours(1)),
                            now.isAfter(end) ? now : end));
        }
        if (rule != null && rule.action() == Runbook.ECS_SCALE_OUT) {
            facts.put("Autoscaling minimum", releaseHold(alarm, rule));
        }
        if (alarm.incident() != null) {
            timeline(alarm.incident(), end, facts);
        }
        Decision d = decision(alarm, rule, Decision.Outcome.RECOVERED, null, "recovered from " + alarm.oldState());
        return finish(alarm, rule, d, facts);
    }

    /** Gives the service its minimum back, if a scale-out of ours raised it; says what it did. */
    private String releaseHold(AlarmChange alarm, Rule rule) {
        Rule.ResolvedTarget target = rule.resolve(alarm);
        if (target.refusal() != null) {
            return "not touched (" + target.refusal() + ")";
        }
        try {
            Platform.EcsService service = platform.ecsService(target.get("cluster"), target.get("service"));
            Platform.ScalableTarget scaling = service == null ? null : platform.scalableTarget(service);
            if (scaling == null || scaling.hold() == null) {
                return "no raised minimum to restore";
            }
            int original = scaling.hold().originalMin();
            Integer set = scaling.hold().setTo();
            if (set != null && scaling.min() != set) {
                // a person moved it during the hold: theirs stands, and our scheduled restore goes too
                if (dryRun) {
                    return "dry run: would leave the minimum a person set (" + scaling.min() + ")";
                }
                platform.restoreMinimum(service, scaling, false);
                String left = "left the minimum a person set (" + scaling.min() + ") on ecs:" + service.cluster() + "/"
                        + service.name() + "; kfood-ops had set " + set + " and no longer restores it";
                record(alarm, Incidents.ACTION, left);
                return left;
            }
            if (dryRun) {
                return "dry run: would restore it from " + scaling.min() + " to " + original;
            }
            platform.restoreMinimum(service, scaling, true);
            String done = "restored from " + scaling.min() + " to " + original + " on ecs:" + service.cluster() + "/"
                    + service.name() + " (the hold ran to " + scaling.hold().until() + ")";
            record(alarm, Incidents.ACTION, done);
            return done;
        } catch (SdkException e) {
            return "could not restore: " + Errors.describe(e)
                    + "; autoscaling's scheduled action restores it when the hold ends";
        }
    }

    /** The episode from alarm to OK: each moment, the time to recover, and what the guard rails held back. */
    private void timeline(Incidents.Incident incident, Instant ok, Map<String, String> facts) {
        try {
            List<Incidents.Entry> entries = new ArrayList<>(incidents.timeline(incident.id()));
            incidents.close(incident, ok);
            Incidents.Entry recovered = new Incidents.Entry(ok, Incidents.RECOVERED, "OK");
            incidents.add(incident.id(), recovered);
            entries.removeIf(e -> e.kind().equals(Incidents.RECOVERED));
            entries.add(recovered);
            // in time order; at the same instant the alarm comes before what it caused
            entries.sort(Comparator.comparing(Incidents.Entry::at)
                    .thenComparing(e -> !e.kind().equals(Incidents.ALARM)));
            List<String> moments = new ArrayList<>();
            List<String> suppressed = new ArrayList<>();
            for (Incidents.Entry e : entries) {
                if (e.kind().equals(Incidents.SUPPRESSED)) {
                    suppressed.add(e.text());
                    continue;
                }
                Duration since = Duration.between(incident.start(), e.at());
                moments.add(
                        (moments.isEmpty() ? "t0 " + e.at() : "+" + clock(since)) + " " + Text.printable(e.text(), 90));
            }
            facts.put("Timeline", String.join("  |  ", moments));
            facts.put("Time to recover", minutes(Duration.between(incident.start(), ok)) + " (alarm to OK)");
            facts.put(
                    "Suppressed during it",
                    suppressed.isEmpty() ? "nothing" : suppressed.size() + ": " + String.join("; ", suppressed));
        } catch (SdkException e) {
            facts.put("Timeline", "unavailable: " + Errors.describe(e));
        }
    }

    private static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    private String actionsDuring(AlarmChange alarm, Rule rule, Instant from, Instant to) {
        Rule.ResolvedTarget target = rule.resolve(alarm);
        if (target.refusal() != null) {
            return "no action (" + target.refusal() + ")";
        }
        try {
            Cooldown.History history = rule.action() == Runbook.RDS_REBOOT
                    ? Optional.ofNullable(platform.database(target.get("dbInstance")))
                            .map(Platform.Database::history)
                            .orElse(null)
                    : Optional.ofNullable(platform.ecsService(target.get("cluster"), target.get("service")))
                            .map(Platform.EcsService::history)
                            .orElse(null);
            if (history == null) {
                return "target not found";
            }
            List<Cooldown.Entry> during = history.entries().stream()
                    .filter(e -> !e.at().isBefore(from.minus(Duration.ofMinutes(1)))
                            && !e.at().isAfter(to.plus(Duration.ofMinutes(1))))
                    .toList();
            return during.isEmpty()
                    ? "no action was taken"
                    : during.size() + " x " + rule.action().id + " (at "
                            + String.join(
                                    ", ",
                                    during.stream().map(e -> e.at().toString()).toList()) + ")";
        } catch (SdkException e) {
            return "unknown (" + Errors.describe(e) + ")";
        }
    }

    private String datapoints(AlarmChange alarm) {
        if (alarm.metrics().isEmpty()) {
            return "no metric";
        }
        List<String> values =
                readOrSay(() -> platform.datapoints(alarm.metrics().getFirst(), clock.instant(), DATA_WINDOW));
        return values.isEmpty() ? "no datapoints in the last 30 min" : String.join(", ", values);
    }

    private static List<String> readOrSay(Supplier<List<String>> read) {
        try {
            return read.get();
        } catch (SdkException e) {
            return List.of("unavailable: " + Errors.describe(e));
        }
    }

    private Decision duplicate(AlarmChange alarm, Rule rule, String target) {
        log.info(
                "alarm transition already handled",
                "alarm",
                alarm.name(),
                "target",
                target,
                "incident",
                incidentId(alarm));
        record(alarm, Incidents.SUPPRESSED, "a delivery of the same alarm change again (nothing done twice)");
        Decision d = decision(
                alarm,
                rule,
                Decision.Outcome.DUPLICATE,
                target,
                "this alarm transition was already handled: nothing done again");
        count(d);
        return d;
    }

    private Decision finish(AlarmChange alarm, Rule rule, Decision d, Map<String, String> facts) {
        count(d);
        switch (d.outcome()) {
            case EXECUTED -> record(alarm, Incidents.ACTION, d.detail());
            case FAILED -> record(alarm, Incidents.ACTION, "FAILED: " + d.detail());
            case SUPPRESSED, AT_LIMIT, WOULD_EXECUTE ->
                record(alarm, Incidents.SUPPRESSED, d.action() + ": " + d.detail());
            default -> {
                /* the alarm itself and the recovery are recorded where they happen */
            }
        }
        log.info(
                "alarm decision",
                "alarm",
                alarm.name(),
                "state",
                alarm.newState(),
                "outcome",
                d.outcome().name(),
                "action",
                d.action(),
                "detail",
                d.detail(),
                "incident",
                incidentId(alarm));
        return d.withNotified(notifier.send(AlarmNotice.of(alarm, rule, d, facts)));
    }

    /** One moment of the episode, kept for its timeline; lost only when the store cannot be reached. */
    private void record(AlarmChange alarm, String kind, String text) {
        if (alarm.incident() == null) {
            return;
        }
        try {
            incidents.add(alarm.incident().id(), new Incidents.Entry(clock.instant(), kind, Text.printable(text, 300)));
        } catch (SdkException e) {
            log.warn("incident entry not kept", "incident", alarm.incident().id(), "error", Errors.describe(e));
        }
    }

    private static String incidentId(AlarmChange alarm) {
        return alarm.incident() == null ? "" : alarm.incident().id();
    }

    private void count(Decision d) {
        String metric = switch (d.outcome()) {
            case EXECUTED -> "ActionsExecuted";
            case SUPPRESSED, DUPLICATE, WOULD_EXECUTE, AT_LIMIT -> "ActionsSuppressed";
            case STALE -> "LateChangesIgnored";
            case NOT_CONFIRMED -> "AlarmsNotConfirmed";
            case FAILED -> "ActionsFailed";
            default -> "AlarmsNotified";
        };
        metrics.put(metric, 1, OpsMetrics.Unit.COUNT, Map.of("Action", d.action()));
    }

    private static Decision decision(
            AlarmChange alarm, Rule rule, Decision.Outcome outcome, String target, String detail) {
        return new Decision(
                alarm.name(),
                alarm.newState(),
                rule == null ? null : rule.name(),
                rule == null ? Runbook.NOTIFY.id : rule.action().id,
                outcome,
                target,
                detail,
                alarm.incident() == null ? null : alarm.incident().id(),
                false);
    }

    private static String minutes(Duration d) {
        long m = d.toMinutes();
        if (m < 2) {
            return Math.max(0, d.toSeconds()) + " s";
        }
        return m < 120 ? m + " min" : (m / 60) + " h " + (m % 60) + " min";
    }
}
