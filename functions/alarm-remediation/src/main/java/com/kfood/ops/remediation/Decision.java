package com.kfood.ops.remediation;

/**
 * What the function decided for one alarm message, as returned and notified.
 *
 * @param target the resource acted on (or that would have been), e.g. {@code ecs:kfood-cluster/kfood-backend}
 * @param incident the id of the alarm episode, when one was recorded
 */
public record Decision(
        String alarm,
        String state,
        String rule,
        String action,
        Outcome outcome,
        String target,
        String detail,
        String incident,
        boolean notified) {

    public enum Outcome {
        EXECUTED,
        WOULD_EXECUTE,
        SUPPRESSED,
        /** Nothing done: the action would pass a limit only a person may move (the autoscaling maximum). */
        AT_LIMIT,
        FAILED,
        DUPLICATE,
        NOTIFIED,
        RECOVERED,
        NOT_UNDERSTOOD,
        /**
         * Nothing done: CloudWatch does not hold this alarm in ALARM now, or it is not one of the
         * configured alarms (a forged, replayed or late message).
         */
        NOT_CONFIRMED,
        /** Nothing done: the change is older than one already handled for the same alarm (late delivery). */
        STALE
    }

    /** A message that is not an alarm: no alarm, no rule, no action, only the problem. */
    static Decision notUnderstood(String problem) {
        return new Decision(null, null, null, "none", Outcome.NOT_UNDERSTOOD, null, problem, null, false);
    }

    Decision withNotified(boolean sent) {
        return new Decision(alarm, state, rule, action, outcome, target, detail, incident, sent);
    }
}
