package com.kfood.ops.remediation;

import com.kfood.ops.shared.incident.Incidents;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One alarm state change, whichever way it was delivered. {@code metrics} holds the alarm's metric,
 * or for a metric-math alarm every metric it reads; a composite alarm has none and a rule.
 *
 * @param previousStateSince when the previous state began (direct alarm actions carry it; SNS does not)
 * @param incident the alarm episode this change belongs to, once known (null: none, or not recorded)
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
        String delivery,
        Incidents.Incident incident) {

    /** A metric the alarm watches. */
    public record MetricRef(
            String namespace, String name, Map<String, String> dimensions, String stat, Integer period) {}

    /** The key that identifies this transition: the same message delivered twice has the same key. */
    public String transitionKey() {
        return key() + "|" + (changedAt != null ? changedAt : "") + "|" + newState;
    }

    /** The same change, as part of {@code episode}. */
    public AlarmChange inIncident(Incidents.Incident episode) {
        return new AlarmChange(
                name,
                arn,
                description,
                newState,
                oldState,
                reason,
                changedAt,
                region,
                metrics,
                threshold,
                comparison,
                compositeRule,
                previousStateSince,
                delivery,
                episode);
    }

    /** What identifies the alarm across its episodes: its ARN, else its name. */
    public String key() {
        return arn != null ? arn : name;
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
