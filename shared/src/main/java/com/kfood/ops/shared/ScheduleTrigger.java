package com.kfood.ops.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Set;

/**
 * What started a scheduled function: an EventBridge Scheduler event ({@code aws.scheduler}), a
 * classic scheduled rule ({@code aws.events}), or a manual invoke with {@code {}} or
 * {@code {"dryRun": true}}. Anything else is rejected before any work.
 *
 * @param scheduledFor the schedule time (to the minute, UTC); the clock's time for a manual run
 */
public record ScheduleTrigger(Instant scheduledFor, String source, boolean dryRunRequested) {
    private static final Set<String> MANUAL_FIELDS = Set.of("dryRun");

    public static ScheduleTrigger parse(JsonNode event, Clock clock) {
        String source = event.path("source").isTextual() ? event.get("source").asText() : null;
        if (source == null) {
            return manual(event, clock);
        }
        if (!source.equals("aws.scheduler") && !source.equals("aws.events")) {
            throw new InvalidEventException("not a scheduled event: source '" + Text.printable(source, 60)
                    + "' (expected aws.scheduler, aws.events or a manual {} / {\"dryRun\": true})");
        }
        String detailType = event.path("detail-type").asText("");
        if (!detailType.equals("Scheduled Event")) {
            throw new InvalidEventException(
                    "not a scheduled event: detail-type '" + Text.printable(detailType, 60) + "'");
        }
        JsonNode time = event.get("time");
        if (time == null || !time.isTextual()) {
            throw new InvalidEventException("scheduled event has no time");
        }
        try {
            return new ScheduleTrigger(Instant.parse(time.asText()).truncatedTo(ChronoUnit.MINUTES), source, false);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(
                    "scheduled event time is not an ISO-8601 instant: '" + Text.printable(time.asText(), 40) + "'");
        }
    }

    private static ScheduleTrigger manual(JsonNode event, Clock clock) {
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MANUAL_FIELDS.contains(name)) {
                throw new InvalidEventException("unexpected field '" + Text.printable(name, 60)
                        + "': a manual run takes {} or {\"dryRun\": true}; scheduled events carry a source");
            }
        }
        JsonNode dryRun = event.get("dryRun");
        if (dryRun != null && !dryRun.isBoolean()) {
            throw new InvalidEventException("dryRun must be true or false");
        }
        return new ScheduleTrigger(
                clock.instant().truncatedTo(ChronoUnit.MINUTES), "manual", dryRun != null && dryRun.asBoolean());
    }
}
