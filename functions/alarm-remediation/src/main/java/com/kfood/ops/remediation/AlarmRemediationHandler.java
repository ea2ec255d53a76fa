package com.kfood.ops.remediation;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * AlarmRemediationFunction. For now every alarm gets the {@code notify} runbook: a readable message
 * with the state, reason and metric. A message that cannot be understood gets one notification and
 * no retry (the event is answered, not thrown back at Lambda).
 */
public final class AlarmRemediationHandler extends OpsHandler {
    private final Notifier notifier;

    public AlarmRemediationHandler() {
        this(Env.system());
    }

    public AlarmRemediationHandler(Env env) {
        this(Ops.create("AlarmRemediationFunction", env));
    }

    AlarmRemediationHandler(Ops ops) {
        this(ops, ops.notifier());
    }

    AlarmRemediationHandler(Ops ops, Notifier notifier) {
        super(ops);
        this.notifier = notifier;
    }

    @Override
    protected RemediationResult handle(JsonNode event, Context context) {
        List<RemediationResult.Decision> decisions = new ArrayList<>();
        for (AlarmEvent.Parsed parsed : AlarmEvent.parse(event)) {
            if (parsed.alarm() == null) {
                ops.log().warn("alarm message not understood", "problem", parsed.problem());
                boolean sent = notifier.send(Notification.builder(Severity.WARNING, "alarm.unreadable", "An alarm message could not be understood")
                        .summary(parsed.problem() + ". No action was taken.").build());
                ops.metrics().count("MessagesNotUnderstood", 1);
                decisions.add(new RemediationResult.Decision(null, null, "none", "not understood: " + parsed.problem(), sent));
                continue;
            }
            AlarmEvent a = parsed.alarm();
            Severity severity = "ALARM".equals(a.newState()) ? Severity.CRITICAL : "OK".equals(a.newState()) ? Severity.SUCCESS : Severity.WARNING;
            boolean sent = notifier.send(Notification.builder(severity, "alarm.notify", a.alarmName() + " is " + a.newState())
                    .summary(a.reason())
                    .fact("Previous state", a.oldState())
                    .fact("Metric", a.namespace() == null ? null : a.namespace() + " / " + a.metricName())
                    .fact("Changed at", a.stateChangeTime())
                    .thread(a.alarmArn())
                    .build());
            ops.metrics().count("AlarmsNotified", 1);
            decisions.add(new RemediationResult.Decision(a.alarmName(), a.newState(), "notify", "notified", sent));
        }
        return new RemediationResult(decisions);
    }
}
