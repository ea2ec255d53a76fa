package com.kfood.ops.remediation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One alarm state change, whichever way it was delivered. {@code metrics} holds the alarm's metric,
 * or for a metric-math alarm every metric it reads; a composite alarm has none and a rule.
 *
 * @param previousStateSince when the previous state began (direct alarm actions carry it; SNS does not)
 */
public record AlarmChange(
        String name,
        String arn,
        String description,
        String newState,
        String oldState,
        String reason,
        Instant changedAt,
        String region,
        List<MetricRef> metrics,
        Double threshold,
        String comparison,
        String compositeRule,
        Instant previousStateSince,
        String delivery) {

    /** A metric the alarm watches. */
    public record MetricRef(
            String namespace, String name, Map<String, String> dimensions, String stat, Integer period) {}

    /** The key that identifies this transition: the same message delivered twice has the same key. */
    public String transitionKey() {
        return (arn != null ? arn : name) + "|" + (changedAt != null ? changedAt : "") + "|" + newState;
    }

    public boolean isAlarm() {
        return "ALARM".equals(newState);
    }

    public String dimension(String name) {
        for (MetricRef m : metrics) {
            String value = m.dimensions().get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
