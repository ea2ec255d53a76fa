package com.kfood.ops.remediation;

import com.kfood.ops.shared.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One runbook rule: which alarms it matches and what it does to which resource. A target value of
 * {@code $dimension:Name} is taken from the alarm's dimension, and must be one of the rule's
 * {@code allowed} values: a rule never acts on a resource it does not name.
 */
public record Rule(
        String name,
        String description,
        Pattern alarmName,
        String namespace,
        String metricName,
        Map<String, String> dimensions,
        Runbook action,
        Map<String, String> target,
        Map<String, List<String>> allowed,
        Map<String, String> params) {

    static final String FROM_DIMENSION = "$dimension:";

    public boolean matches(AlarmChange alarm) {
        if (alarmName != null && !alarmName.matcher(alarm.name()).matches()) {
            return false;
        }
        if (namespace == null && metricName == null && dimensions.isEmpty()) {
            return alarmName != null;
        }
        return alarm.metrics().stream()
                .anyMatch(m -> (namespace == null || namespace.equals(m.namespace()))
                        && (metricName == null || metricName.equals(m.name()))
                        && m.dimensions().entrySet().containsAll(dimensions.entrySet()));
    }

    /** The target's fields for this alarm; a refused value is reported, not acted on. */
    public ResolvedTarget resolve(AlarmChange alarm) {
        Map<String, String> values = new LinkedHashMap<>();
        for (var field : target.entrySet()) {
            String value = field.getValue();
            if (value.startsWith(FROM_DIMENSION)) {
                String dimension = value.substring(FROM_DIMENSION.length());
                value = alarm.dimension(dimension);
                if (value == null) {
                    return ResolvedTarget.refused(
                            "the alarm has no " + dimension + " dimension to name the " + field.getKey());
                }
                if (!allowed.getOrDefault(field.getKey(), List.of()).contains(value)) {
                    return ResolvedTarget.refused(field.getKey() + " '" + Text.printable(value, 80)
                            + "' is not one this rule may act on " + allowed.getOrDefault(field.getKey(), List.of()));
                }
            }
            values.put(field.getKey(), value);
        }
        return new ResolvedTarget(Map.copyOf(values), null);
    }

    /** The resource a rule acts on for one alarm, or why it may not. */
    public record ResolvedTarget(Map<String, String> fields, String refusal) {
        static ResolvedTarget refused(String why) {
            return new ResolvedTarget(Map.of(), why);
        }

        public String get(String field) {
            return fields.get(field);
        }
    }
}
