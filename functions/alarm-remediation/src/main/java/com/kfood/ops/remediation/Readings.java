package com.kfood.ops.remediation;

import com.kfood.ops.shared.Errors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/** What a notification quotes so the first look needs no console: error lines, recent values, autoscaling. */
record Readings(Platform platform, Clock clock) {
    private static final Duration DATA_WINDOW = Duration.ofMinutes(30);
    /** The service's ERROR lines quoted with an alarm: from this long before it. */
    private static final Duration LOG_WINDOW = Duration.ofMinutes(10);

    private static final int LOG_LINES = 5;

    /** The service's newest ERROR log lines before the alarm, masked, so the first look needs no console. */
    Map<String, String> errorLines(AlarmChange alarm, Platform.EcsService service) {
        Map<String, String> facts = new LinkedHashMap<>();
        Instant to = alarm.changedAt() != null ? alarm.changedAt() : clock.instant();
        try {
            Platform.ErrorLines lines = platform.recentErrors(service, to.minus(LOG_WINDOW), to, LOG_LINES);
            if (lines.logGroup() == null) {
                facts.put("Error logs", "the service's tasks do not log to CloudWatch Logs");
                return facts;
            }
            facts.put(
                    "Error logs",
                    lines.matched() == 0
                            ? "no ERROR line in " + lines.logGroup() + " in the " + LOG_WINDOW.toMinutes()
                                    + " min before the alarm"
                            : lines.newest().size() + " newest of " + lines.matched()
                                    + (lines.matched() == 1 ? " ERROR line" : " ERROR lines")
                                    + " in " + lines.logGroup() + " in the " + LOG_WINDOW.toMinutes()
                                    + " min before the alarm (numbers and tokens masked)");
            for (int i = 0; i < lines.newest().size(); i++) {
                facts.put("  " + (i + 1), lines.newest().get(i));
            }
        } catch (SdkException e) {
            facts.put("Error logs", "unavailable: " + Errors.describe(e));
        }
        return facts;
    }

    String datapoints(AlarmChange alarm) {
        if (alarm.metrics().isEmpty()) {
            return "no metric";
        }
        List<String> values =
                readOrSay(() -> platform.datapoints(alarm.metrics().getFirst(), clock.instant(), DATA_WINDOW));
        return values.isEmpty() ? "no datapoints in the last 30 min" : String.join(", ", values);
    }

    static List<String> readOrSay(Supplier<List<String>> read) {
        try {
            return read.get();
        } catch (SdkException e) {
            return List.of("unavailable: " + Errors.describe(e));
        }
    }

    static String autoscaling(Platform.ScalableTarget t) {
        return "minimum " + t.min() + ", maximum " + t.max()
                + (t.hold() == null
                        ? ""
                        : "; minimum held by kfood-ops (back to " + t.hold().originalMin()
                                + (t.hold().until() == null
                                        ? ""
                                        : " at " + t.hold().until()) + ")");
    }

    /** The database as RDS describes it, and its RDS events of the last hour (the newest five). */
    Map<String, String> database(String db) {
        Map<String, String> facts = new LinkedHashMap<>();
        Platform.Database database = platform.database(db);
        if (database == null) {
            facts.put("Database", db + " not found");
            return facts;
        }
        facts.put(
                "Database",
                "status " + database.status() + ", " + database.engine() + ", " + database.instanceClass()
                        + ", Multi-AZ " + database.multiAz()
                        + (database.availabilityZone() == null ? "" : ", primary in " + database.availabilityZone()));
        List<String> events = readOrSay(() -> platform.recentDatabaseEvents(db, Duration.ofHours(1)));
        facts.put(
                "RDS events (last hour)",
                events.isEmpty()
                        ? "none"
                        : String.join("; ", events.subList(Math.max(0, events.size() - 5), events.size())));
        return facts;
    }

    /** An alarm explained: the failing check, a composite's rule, the metric's recent values. */
    Map<String, String> explanation(AlarmChange alarm) {
        Map<String, String> facts = new LinkedHashMap<>();
        String check = alarm.dimension("Check");
        if (check != null) {
            facts.put("Failing check", check);
        }
        if (alarm.compositeRule() != null) {
            facts.put("Composite rule", alarm.compositeRule());
        }
        if (!alarm.metrics().isEmpty()) {
            facts.put("Recent values", datapoints(alarm));
        }
        return facts;
    }
}
