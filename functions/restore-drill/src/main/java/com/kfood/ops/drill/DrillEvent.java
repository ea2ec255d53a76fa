package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Text;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * What the drill is asked to do: start a drill (the monthly schedule or a manual invoke), watch the
 * open ones (the watchdog's schedule), or look at a drill instance RDS just reported on (an
 * EventBridge {@code aws.rds} instance event). Anything else is rejected before any AWS call.
 */
sealed interface DrillEvent {
    /**
     * @param scheduledFor the schedule's time, or the clock's minute for a manual start: the run's id
     * @param mode the one mode asked for; empty: the monthly modes ({@code DRILL_MODES})
     * @param restoreTime a point-in-time drill's target given by hand; empty: a random one
     */
    record Start(Instant scheduledFor, boolean dryRun, Optional<DrillMode> mode, Optional<Instant> restoreTime)
            implements DrillEvent {}

    record Watch(Instant at) implements DrillEvent {}

    /** @param at when RDS reported it (the event's time) */
    record InstanceChanged(String instanceId, Instant at, String message) implements DrillEvent {}

    Set<String> MANUAL_FIELDS = Set.of("action", "dryRun", "mode", "restoreTime");

    static DrillEvent parse(JsonNode event, Clock clock, String instancePrefix) {
        if (!event.isObject()) {
            throw new InvalidEventException("event is not a JSON object");
        }
        JsonNode sourceNode = event.get("source");
        if (sourceNode == null) {
            return manual(event, clock);
        }
        String source = sourceNode.isTextual() ? sourceNode.asText() : "";
        String detailType = event.path("detail-type").asText("");
        return switch (source) {
            case "aws.rds" -> {
                if (!detailType.equals("RDS DB Instance Event")) {
                    throw new InvalidEventException(
                            "not an RDS instance event: detail-type '" + Text.printable(detailType, 60) + "'");
                }
                JsonNode id = event.path("detail").get("SourceIdentifier");
                if (id == null
                        || !id.isTextual()
                        || !id.asText().startsWith(instancePrefix)
                        || !id.asText().matches("[a-z](?:-?[a-z0-9]){0,62}")) {
                    throw new InvalidEventException("not an event of a drill instance of this stack: SourceIdentifier '"
                            + Text.printable(id == null ? "" : id.asText(), 80) + "'");
                }
                yield new InstanceChanged(
                        id.asText(),
                        time(event),
                        Text.printable(event.path("detail").path("Message").asText(""), 200));
            }
            case "aws.scheduler", "aws.events" -> {
                if (!detailType.equals("Scheduled Event")) {
                    throw new InvalidEventException(
                            "not a scheduled event: detail-type '" + Text.printable(detailType, 60) + "'");
                }
                Instant at = time(event);
                String action = event.path("detail").path("action").asText("start");
                yield switch (action) {
                    case "start" -> start(event.path("detail"), at, false, clock);
                    case "watch" -> new Watch(at);
                    default ->
                        throw new InvalidEventException(
                                "unknown action '" + Text.printable(action, 40) + "' (start or watch)");
                };
            }
            default ->
                throw new InvalidEventException("not an event the drill handles: source '" + Text.printable(source, 60)
                        + "' (aws.scheduler, aws.rds or a manual {\"action\": \"start\"})");
        };
    }

    private static DrillEvent manual(JsonNode event, Clock clock) {
        for (Iterator<String> names = event.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MANUAL_FIELDS.contains(name)) {
                throw new InvalidEventException("unexpected field '" + Text.printable(name, 60)
                        + "': a manual run takes {\"action\": \"start\" | \"watch\", \"dryRun\": true | false,"
                        + " \"mode\": \"" + DrillMode.names() + "\", \"restoreTime\": an ISO-8601 instant}");
            }
        }
        JsonNode action = event.get("action");
        if (action == null || !action.isTextual()) {
            // a drill costs money: a bare {} does not start one
            throw new InvalidEventException("a manual run needs \"action\": \"start\" or \"watch\"");
        }
        JsonNode dryRun = event.get("dryRun");
        if (dryRun != null && !dryRun.isBoolean()) {
            throw new InvalidEventException("dryRun must be true or false");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        return switch (action.asText()) {
            case "start" -> start(event, now, dryRun != null && dryRun.asBoolean(), clock);
            case "watch" -> {
                if (event.has("mode") || event.has("restoreTime")) {
                    throw new InvalidEventException("mode and restoreTime belong to a start, not to a watch");
                }
                yield new Watch(clock.instant());
            }
            default ->
                throw new InvalidEventException(
                        "unknown action '" + Text.printable(action.asText(), 40) + "' (start or watch)");
        };
    }

    /** A start's mode and target time, checked before anything is asked of AWS. */
    private static Start start(JsonNode fields, Instant at, boolean dryRun, Clock clock) {
        Optional<DrillMode> mode = Optional.empty();
        JsonNode modeNode = fields.get("mode");
        if (modeNode != null) {
            if (!modeNode.isTextual()) {
                throw new InvalidEventException("mode must be one of " + DrillMode.names());
            }
            mode = Optional.of(DrillMode.of(modeNode.asText())
                    .orElseThrow(() -> new InvalidEventException("unknown mode '"
                            + Text.printable(modeNode.asText(), 40) + "' (" + DrillMode.names() + ")")));
        }
        JsonNode timeNode = fields.get("restoreTime");
        if (timeNode == null) {
            return new Start(at, dryRun, mode, Optional.empty());
        }
        if (mode.orElse(null) != DrillMode.POINT_IN_TIME) {
            throw new InvalidEventException("restoreTime is for a point-in-time drill: add \"mode\": \"pointInTime\"");
        }
        Instant target;
        try {
            target = Instant.parse(timeNode.isTextual() ? timeNode.asText() : "");
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("restoreTime is not an ISO-8601 instant such as 2026-12-07T05:02:00Z: '"
                    + Text.printable(timeNode.asText(), 40) + "'");
        }
        if (target.isAfter(clock.instant())) {
            throw new InvalidEventException("restoreTime " + target + " is in the future");
        }
        return new Start(at, dryRun, mode, Optional.of(target.truncatedTo(ChronoUnit.SECONDS)));
    }

    private static Instant time(JsonNode event) {
        JsonNode time = event.get("time");
        if (time == null) {
            throw new InvalidEventException("event has no time");
        }
        if (!time.isTextual()) {
            throw new InvalidEventException("event time is not text");
        }
        try {
            return Instant.parse(time.asText()).truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(
                    "event time is not an ISO-8601 instant: '" + Text.printable(time.asText(), 40) + "'");
        }
    }
}
