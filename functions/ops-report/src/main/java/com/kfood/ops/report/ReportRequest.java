package com.kfood.ops.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Text;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;

/**
 * What to report: an EventBridge Scheduler event whose {@code detail} names the report
 * ({@code {"report": "weekly"}}), or a manual invoke: {@code {"report": "daily"}}, optionally with
 * {@code "dryRun": true} (nothing stored or sent) and {@code "at"} (an ISO instant: the report as it
 * would have run then). Anything else is rejected before any AWS call.
 */
record ReportRequest(ReportKind kind, Instant at, boolean dryRun, String source) {
    private static final Set<String> MANUAL_FIELDS = Set.of("report", "dryRun", "at");

    static ReportRequest parse(JsonNode event, Clock clock) {
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("the event must be a JSON object such as {\"report\": \"daily\"}");
        }
        JsonNode source = event.get("source");
        if (source == null) {
            return manual(event, clock);
        }
        if (!source.isTextual()
                || !(source.asText().equals("aws.scheduler") || source.asText().equals("aws.events"))) {
            throw new InvalidEventException("not a scheduled event: source '" + Text.printable(source.asText(), 60)
                    + "' (expected aws.scheduler or a manual {\"report\": \"daily\"})");
        }
        if (!"Scheduled Event".equals(event.path("detail-type").asText(""))) {
            throw new InvalidEventException("not a scheduled event: detail-type '"
                    + Text.printable(event.path("detail-type").asText(""), 60) + "'");
        }
        JsonNode report = event.path("detail").get("report");
        if (report == null || !report.isTextual()) {
            throw new InvalidEventException(
                    "the schedule's detail names no report (detail.report: daily, weekly or monthly)");
        }
        return new ReportRequest(
                ReportKind.parse(report.asText()), instant(event.get("time"), "time"), false, source.asText());
    }

    private static ReportRequest manual(JsonNode event, Clock clock) {
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MANUAL_FIELDS.contains(name)) {
                throw new InvalidEventException(
                        "unexpected field '" + Text.printable(name, 60)
                                + "': a manual run takes {\"report\": \"daily|weekly|monthly\", \"dryRun\": true|false, \"at\": ISO time}");
            }
        }
        JsonNode report = event.get("report");
        if (report == null || !report.isTextual()) {
            throw new InvalidEventException("report is required: daily, weekly or monthly");
        }
        JsonNode dryRun = event.get("dryRun");
        if (dryRun != null && !dryRun.isBoolean()) {
            throw new InvalidEventException("dryRun must be true or false");
        }
        Instant at = event.has("at") ? instant(event.get("at"), "at") : clock.instant();
        return new ReportRequest(ReportKind.parse(report.asText()), at, dryRun != null && dryRun.asBoolean(), "manual");
    }

    private static Instant instant(JsonNode node, String field) {
        if (node == null || !node.isTextual()) {
            throw new InvalidEventException(field + " must be an ISO-8601 instant");
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(
                    field + " is not an ISO-8601 instant: '" + Text.printable(node.asText(), 40) + "'");
        }
    }
}
