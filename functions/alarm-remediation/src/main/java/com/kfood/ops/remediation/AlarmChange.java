package com.kfood.ops.remediation;

import com.kfood.ops.shared.incident.Incidents;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One alarm state change, whichever way it was delivered: the alarm, the {@link Transition} it made,
 * what it {@link Watched}, how it came, and the episode it belongs to once known ({@code incident},
 * null until then).
 */
public record AlarmChange(
        String name,
        String arn,
        String description,
        String region,
        Transition transition,
        Watched watched,
        Delivery delivery,
        Incidents.Incident incident) {

    /**
     * The state change itself.
     *
     * @param previousStateSince when the previous state began (direct alarm actions carry it; SNS does not)
     */
    public record Transition(
            String newState, String oldState, String reason, Instant changedAt, Instant previousStateSince) {}

    /**
     * What the alarm watches: its metric, or for a metric-math alarm every metric it reads, with the
     * threshold; a composite alarm has no metric and a rule.
     */
    public record Watched(List<MetricRef> metrics, Double threshold, String comparison, String compositeRule) {
        public Watched {
            metrics = metrics == null ? List.of() : List.copyOf(metrics);
        }
    }

    /** How the change arrived: an SNS message, or CloudWatch's alarm action invoking the function. */
    public enum Delivery {
        SNS,
        ALARM_ACTION
    }

    /** A metric the alarm watches. */
    public record MetricRef(
            String namespace, String name, Map<String, String> dimensions, String stat, Integer period) {}

    public String newState() {
        return transition.newState();
    }

    public String oldState() {
        return transition.oldState();
    }

    public String reason() {
        return transition.reason();
    }

    public Instant changedAt() {
        return transition.changedAt();
    }

    public Instant previousStateSince() {
        return transition.previousStateSince();
    }

    public List<MetricRef> metrics() {
        return watched.metrics();
    }

    public Double threshold() {
        return watched.threshold();
    }

    public String comparison() {
        return watched.comparison();
    }

    public String compositeRule() {
        return watched.compositeRule();
    }

    /** The key that identifies this transition: the same message delivered twice has the same key. */
    public String transitionKey() {
        return key() + "|" + (changedAt() != null ? changedAt() : "") + "|" + newState();
    }

    /** The same change, as part of {@code episode}. */
    public AlarmChange inIncident(Incidents.Incident episode) {
        return new AlarmChange(name, arn, description, region, transition, watched, delivery, episode);
    }

    /** What identifies the alarm across its episodes: its ARN, else its name. */
    public String key() {
        return arn != null ? arn : name;
    }

    public boolean isAlarm() {
        return "ALARM".equals(newState());
    }

    public String dimension(String name) {
        for (MetricRef m : metrics()) {
            String value = m.dimensions().get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
