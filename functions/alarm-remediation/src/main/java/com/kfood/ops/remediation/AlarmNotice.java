package com.kfood.ops.remediation;

import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Severity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** The notification of one remediation decision: what the alarm said, what was decided, why, and where to look. */
final class AlarmNotice {
    private AlarmNotice() {}

    /** A message on the alarms topic that is not an alarm: nothing was done. */
    static Notification unreadable(String problem) {
        return Notification.builder(Severity.WARNING, "alarm.unreadable", "An alarm message could not be understood")
                .summary(problem + ". Nothing was done.")
                .nextStep("Check the subscriptions of the alarms topic: only CloudWatch alarms should publish there.")
                .build();
    }

    private static Severity severity(AlarmChange alarm, Decision d) {
        return switch (d.outcome()) {
            case FAILED, AT_LIMIT -> Severity.CRITICAL;
            case RECOVERED -> Severity.SUCCESS;
            case EXECUTED, SUPPRESSED, WOULD_EXECUTE, NOT_CONFIRMED -> Severity.WARNING;
            default -> alarm.isAlarm() ? Severity.CRITICAL : Severity.WARNING;
        };
    }

    private static String title(AlarmChange alarm, Decision d) {
        return switch (d.outcome()) {
            case RECOVERED -> "Recovered: " + alarm.name();
            case EXECUTED -> alarm.name() + ": " + d.action() + " done";
            case WOULD_EXECUTE -> alarm.name() + ": " + d.action() + " (dry run)";
            case SUPPRESSED -> alarm.name() + ": " + d.action() + " suppressed";
            case AT_LIMIT -> alarm.name() + ": at the autoscaling maximum, needs a person";
            case FAILED -> alarm.name() + ": " + d.action() + " FAILED";
            case NOT_CONFIRMED -> alarm.name() + ": not confirmed by CloudWatch, nothing done";
            default -> alarm.name() + " is " + alarm.newState();
        };
    }

    static Notification of(AlarmChange alarm, Rule rule, Decision d, Map<String, String> facts) {
        var n = Notification.builder(
                        severity(alarm, d), "alarm." + d.outcome().name().toLowerCase(Locale.ROOT), title(alarm, d))
                .summary(alarm.reason() == null ? "" : alarm.reason())
                .fact("Decision", d.outcome() + ": " + d.detail())
                .fact(
                        "Runbook",
                        rule == null
                                ? "none matches this alarm"
                                : rule.name() + " (" + rule.action().id + ")"
                                        + (rule.description().isBlank() ? "" : ": " + rule.description()))
                .fact("Incident", d.incident())
                .fact("Target", d.target())
                .fact(
                        "Alarm",
                        alarm.name() + " " + alarm.oldState() + " -> " + alarm.newState()
                                + (alarm.changedAt() == null ? "" : " at " + alarm.changedAt()))
                .fact("Description", alarm.description())
                // one thread per episode: the alarm, the action, the deployment and the recovery together
                .thread(d.incident() != null ? d.incident() : alarm.key());
        if (!alarm.metrics().isEmpty()) {
            AlarmChange.MetricRef m = alarm.metrics().getFirst();
            n.fact(
                    "Metric",
                    m.namespace() + " " + m.name() + " " + m.dimensions()
                            + (alarm.threshold() == null ? "" : ", " + alarm.comparison() + " " + alarm.threshold()));
        }
        facts.forEach(n::fact);
        if (alarm.region() != null) {
            n.link(
                    "Alarm in the console",
                    "https://" + alarm.region() + ".console.aws.amazon.com/cloudwatch/home?region=" + alarm.region()
                            + "#alarmsV2:alarm/"
                            + URLEncoder.encode(alarm.name(), StandardCharsets.UTF_8)
                                    .replace("+", "%20"));
        }
        if (d.outcome() == Decision.Outcome.AT_LIMIT) {
            n.nextStep("Nothing was changed. Find why the service runs hot (its error logs above, a recent"
                    + " deployment), then raise the autoscaling maximum by hand if more tasks are the answer.");
        }
        if (d.outcome() == Decision.Outcome.NOT_CONFIRMED) {
            n.nextStep("If the alarm is in ALARM in the console, nothing is needed: its next message will be"
                    + " acted on. Otherwise find who publishes to the alarms topic: only CloudWatch should.");
        }
        if (d.outcome() == Decision.Outcome.FAILED) {
            n.nextStep("The action did not happen: act by hand, then check the function's permissions and logs.");
        }
        return n.build();
    }
}
