package com.kfood.ops.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Text;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads CloudWatch alarm state changes from an SNS notification (the alarm as JSON text in
 * {@code Records[].Sns.Message}) or from a direct alarm action ({@code source: aws.cloudwatch}).
 * Real messages vary: nulls, dimensions as {@code {"value","name"}} pairs or as a map, metric-math
 * alarms, composite alarms. What cannot be read becomes a {@link Parsed} with the problem.
 */
public final class AlarmParser {
    /** CloudWatch writes {@code 2026-11-26T03:12:41.087+0000}. */
    private static final DateTimeFormatter CLOUDWATCH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private static final int MAX_RECORDS = 10;

    private AlarmParser() {}

    /** One alarm change, or why a message could not be understood. */
    public record Parsed(AlarmChange alarm, String problem) {
        static Parsed ok(AlarmChange alarm) {
            return new Parsed(alarm, null);
        }

        static Parsed problem(String problem) {
            return new Parsed(null, problem);
        }
    }

    public static List<Parsed> parse(JsonNode event) {
        if ("aws.cloudwatch".equals(Json.text(event, "source"))) {
            return List.of(direct(event));
        }
        JsonNode records = event.get("Records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            return List.of(Parsed.problem("neither an SNS notification nor a CloudWatch alarm event (source "
                    + Text.printable(String.valueOf(Json.text(event, "source")), 60) + ")"));
        }
        List<Parsed> out = new ArrayList<>();
        for (int i = 0; i < records.size() && i < MAX_RECORDS; i++) {
            out.add(sns(records.get(i)));
        }
        return out;
    }

    private static Parsed sns(JsonNode record) {
        String message = Json.text(record.path("Sns"), "Message");
        if (message == null) {
            return Parsed.problem("SNS record without a Message");
        }
        JsonNode a = Json.parseEmbedded(message);
        if (a == null) {
            return Parsed.problem("SNS message is not JSON: " + Text.printable(message, 80));
        }
        String name = Json.text(a, "AlarmName");
        String state = Json.text(a, "NewStateValue");
        if (name == null || state == null) {
            return Parsed.problem("SNS message is not a CloudWatch alarm notification (no AlarmName or NewStateValue)");
        }
        JsonNode trigger = a.path("Trigger");
        List<AlarmChange.MetricRef> metrics = new ArrayList<>();
        if (Json.text(trigger, "MetricName") != null) {
            metrics.add(new AlarmChange.MetricRef(
                    Json.text(trigger, "Namespace"),
                    Json.text(trigger, "MetricName"),
                    dimensions(trigger.path("Dimensions")),
                    stat(Json.text(trigger, "Statistic"), Json.text(trigger, "ExtendedStatistic")),
                    integer(trigger.path("Period"))));
        }
        metricStats(trigger.path("Metrics"), MetricStatFields.SNS, metrics);
        return Parsed.ok(new AlarmChange(
                name,
                Json.text(a, "AlarmArn"),
                Json.text(a, "AlarmDescription"),
                regionOf(Json.text(a, "AlarmArn")),
                new AlarmChange.Transition(
                        state,
                        Json.text(a, "OldStateValue"),
                        Json.text(a, "NewStateReason"),
                        time(Json.text(a, "StateChangeTime")),
                        null),
                new AlarmChange.Watched(
                        metrics, number(trigger.path("Threshold")), Json.text(trigger, "ComparisonOperator"), null),
                AlarmChange.Delivery.SNS,
                null));
    }

    private static Parsed direct(JsonNode event) {
        JsonNode data = event.path("alarmData");
        String name = Json.text(data, "alarmName");
        String state = Json.text(data.path("state"), "value");
        if (name == null || state == null) {
            return Parsed.problem("CloudWatch alarm event without alarmData.alarmName or alarmData.state.value");
        }
        JsonNode config = data.path("configuration");
        List<AlarmChange.MetricRef> metrics = new ArrayList<>();
        metricStats(config.path("metrics"), MetricStatFields.ALARM_ACTION, metrics);
        String arn = Json.text(event, "alarmArn");
        Instant changedAt = time(Json.text(data.path("state"), "timestamp"));
        return Parsed.ok(new AlarmChange(
                name,
                arn,
                Json.text(config, "description"),
                region(Json.text(event, "region")) != null ? region(Json.text(event, "region")) : regionOf(arn),
                new AlarmChange.Transition(
                        state,
                        Json.text(data.path("previousState"), "value"),
                        Json.text(data.path("state"), "reason"),
                        changedAt != null ? changedAt : time(Json.text(event, "time")),
                        time(Json.text(data.path("previousState"), "timestamp"))),
                new AlarmChange.Watched(metrics, null, null, Json.text(config, "alarmRule")),
                AlarmChange.Delivery.ALARM_ACTION,
                null));
    }

    /** The same metric query, spelt by SNS in PascalCase and by alarm actions in camelCase. */
    private record MetricStatFields(
            String metricStat,
            String metric,
            String namespace,
            String name,
            String dimensions,
            String stat,
            String period) {
        static final MetricStatFields SNS =
                new MetricStatFields("MetricStat", "Metric", "Namespace", "MetricName", "Dimensions", "Stat", "Period");
        static final MetricStatFields ALARM_ACTION =
                new MetricStatFields("metricStat", "metric", "namespace", "name", "dimensions", "stat", "period");
    }

    /** The metrics a (metric-math) alarm reads; expressions have no metric and are skipped. */
    private static void metricStats(JsonNode queries, MetricStatFields f, List<AlarmChange.MetricRef> into) {
        for (JsonNode q : queries) {
            JsonNode stat = q.path(f.metricStat());
            JsonNode metric = stat.path(f.metric());
            if (Json.text(metric, f.name()) != null) {
                into.add(new AlarmChange.MetricRef(
                        Json.text(metric, f.namespace()),
                        Json.text(metric, f.name()),
                        dimensions(metric.path(f.dimensions())),
                        Json.text(stat, f.stat()),
                        integer(stat.path(f.period()))));
            }
        }
    }

    /** Dimensions as SNS writes them ({@code [{"value","name"}]}) or as alarm actions do ({@code {"Name": "value"}}). */
    static Map<String, String> dimensions(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isArray()) {
            for (JsonNode d : node) {
                String n = Json.text(d, "name") != null ? Json.text(d, "name") : Json.text(d, "Name");
                String v = Json.text(d, "value") != null ? Json.text(d, "value") : Json.text(d, "Value");
                if (n != null && v != null) {
                    out.put(n, v);
                }
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getValue().isTextual()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return Map.copyOf(out);
    }

    static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, CLOUDWATCH_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** An AWS region name, or null: the region ends up in console links. */
    private static String region(String value) {
        return value != null && value.matches("[a-z]{2}(-[a-z]+)+-\\d") ? value : null;
    }

    private static String regionOf(String arn) {
        String[] parts = arn == null ? new String[0] : arn.split(":");
        return parts.length > 3 ? region(parts[3]) : null;
    }

    private static String stat(String statistic, String extended) {
        if (extended != null && !extended.isEmpty()) {
            return extended;
        }
        if (statistic == null) {
            return null;
        }
        // SNS writes SUM, AVERAGE...; GetMetricData wants Sum, Average
        return switch (statistic.toUpperCase(Locale.ROOT)) {
            case "SUM" -> "Sum";
            case "AVERAGE" -> "Average";
            case "MAXIMUM" -> "Maximum";
            case "MINIMUM" -> "Minimum";
            case "SAMPLECOUNT", "SAMPLE_COUNT" -> "SampleCount";
            default -> statistic;
        };
    }

    private static Integer integer(JsonNode node) {
        return node.isNumber() ? node.asInt() : null;
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }
}
