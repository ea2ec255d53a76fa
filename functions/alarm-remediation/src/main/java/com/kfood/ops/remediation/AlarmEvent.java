package com.kfood.ops.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A CloudWatch alarm state change, from either delivery: an SNS notification (the alarm's JSON in
 * {@code Records[].Sns.Message}) or a direct alarm action ({@code source: aws.cloudwatch}).
 */
public record AlarmEvent(String alarmName, String alarmArn, String newState, String oldState, String reason,
        String stateChangeTime, String namespace, String metricName, String delivery) {

    /** The alarms in the event; an entry is null where a message could not be understood. */
    public static List<Parsed> parse(JsonNode event) {
        List<Parsed> out = new ArrayList<>();
        if ("aws.cloudwatch".equals(Json.text(event, "source"))) {
            JsonNode data = event.path("alarmData");
            String name = Json.text(data, "alarmName");
            String state = Json.text(data.path("state"), "value");
            if (name == null || state == null) {
                out.add(Parsed.failed("CloudWatch alarm event without alarmData.alarmName or state"));
            } else {
                JsonNode metric = data.path("configuration").path("metrics").path(0).path("metricStat").path("metric");
                out.add(Parsed.ok(new AlarmEvent(name, Json.text(event, "alarmArn"), state, Json.text(data.path("previousState"), "value"),
                        Json.text(data.path("state"), "reason"), Json.text(event, "time"),
                        Json.text(metric, "namespace"), Json.text(metric, "name"), "alarm-action")));
            }
            return out;
        }
        JsonNode records = event.get("Records");
        if (records == null || !records.isArray() || records.isEmpty()) {
            out.add(Parsed.failed("neither an SNS notification nor a CloudWatch alarm event"));
            return out;
        }
        for (JsonNode record : records) {
            String message = Json.text(record.path("Sns"), "Message");
            JsonNode alarm = message == null ? null : Json.parseEmbedded(message);
            if (alarm == null || Json.text(alarm, "AlarmName") == null || Json.text(alarm, "NewStateValue") == null) {
                out.add(Parsed.failed("SNS message is not a CloudWatch alarm notification"));
                continue;
            }
            JsonNode trigger = alarm.path("Trigger");
            out.add(Parsed.ok(new AlarmEvent(Json.text(alarm, "AlarmName"), Json.text(alarm, "AlarmArn"),
                    Json.text(alarm, "NewStateValue"), Json.text(alarm, "OldStateValue"), Json.text(alarm, "NewStateReason"),
                    Json.text(alarm, "StateChangeTime"), Json.text(trigger, "Namespace"), Json.text(trigger, "MetricName"), "sns")));
        }
        return out;
    }

    /** One alarm from the event, or why it could not be read. */
    public record Parsed(AlarmEvent alarm, String problem) {
        static Parsed ok(AlarmEvent alarm) {
            return new Parsed(alarm, null);
        }

        static Parsed failed(String problem) {
            return new Parsed(null, problem);
        }
    }
}
