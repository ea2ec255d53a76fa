package com.kfood.ops.remediation;

import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import com.kfood.ops.shared.incident.Incidents;
import java.util.Map;

/**
 * How a decision is told: counted as a metric, kept in the alarm's episode, logged and notified
 * (a duplicate or a late change only counted and logged: nobody is paged twice or late).
 */
record Verdicts(Episodes episodes, Notifier notifier, OpsMetrics metrics, OpsLog log) {

    /** A decision of {@code outcome}, told: {@link #finish} of a new {@link Decision}. */
    Decision told(
            AlarmChange alarm,
            Rule rule,
            Decision.Outcome outcome,
            String target,
            String detail,
            Map<String, String> facts) {
        return finish(alarm, rule, decision(alarm, rule, outcome, target, detail), facts);
    }

    Decision finish(AlarmChange alarm, Rule rule, Decision d, Map<String, String> facts) {
        count(d);
        switch (d.outcome()) {
            case EXECUTED -> episodes.record(alarm, Incidents.ACTION, d.detail());
            case FAILED -> episodes.record(alarm, Incidents.ACTION, "FAILED: " + d.detail());
            case SUPPRESSED, AT_LIMIT, WOULD_EXECUTE ->
                episodes.record(alarm, Incidents.SUPPRESSED, d.action() + ": " + d.detail());
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
                Episodes.incidentId(alarm));
        return d.withNotified(notifier.send(AlarmNotice.of(alarm, rule, d, facts)));
    }

    Decision duplicate(AlarmChange alarm, Rule rule, String target) {
        log.info(
                "alarm transition already handled",
                "alarm",
                alarm.name(),
                "target",
                target,
                "incident",
                Episodes.incidentId(alarm));
        episodes.record(alarm, Incidents.SUPPRESSED, "a delivery of the same alarm change again (nothing done twice)");
        Decision d = decision(
                alarm,
                rule,
                Decision.Outcome.DUPLICATE,
                target,
                "this alarm transition was already handled: nothing done again");
        count(d);
        return d;
    }

    /** A late change: nothing done, nothing restored, no incident closed, nobody paged; the log says why. */
    Decision late(AlarmChange alarm, Rule rule, String why) {
        log.info(
                "alarm change arrived late: nothing changed",
                "alarm",
                alarm.name(),
                "why",
                why,
                "incident",
                Episodes.incidentId(alarm));
        Decision d = decision(alarm, rule, Decision.Outcome.STALE, null, "late: " + why + "; nothing changed");
        count(d);
        return d;
    }

    void count(Decision d) {
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

    static Decision decision(AlarmChange alarm, Rule rule, Decision.Outcome outcome, String target, String detail) {
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
}
