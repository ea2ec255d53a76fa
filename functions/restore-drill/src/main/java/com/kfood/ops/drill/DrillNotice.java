package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Severity;
import java.util.List;

/** The one notification of a drill: PASS or FAIL, and per database what was restored, how fast, how fresh. */
final class DrillNotice {
    private final DrillConfig config;

    DrillNotice(DrillConfig config) {
        this.config = config;
    }

    Notification notification(String runId, DrillMode mode, boolean passed, List<JsonNode> results) {
        Notification.Builder n = Notification.builder(
                        passed ? Severity.SUCCESS : Severity.CRITICAL,
                        "backup.restore_drill",
                        title(mode) + " " + (passed ? "PASS" : "FAIL") + " (" + runId + ")")
                .summary(
                        (passed ? passedSummary(mode) : "A restore drill failed: a backup may not restore as expected.")
                                + (deletePending(results)
                                        ? " A scratch instance's deletion is pending (RDS refused it now): the watchdog retries."
                                        : " The scratch instances are deleted."))
                .thread("restore-drill-" + runId);
        n.fact("Mode", mode.id());
        results.forEach(r -> databaseFacts(n, r));
        if (!passed) {
            n.nextStep(
                    "Read the failing step above: a missing table or stale data means the backup itself is suspect; a refused restore means the settings (subnet group, class, quota).");
            n.nextStep(
                    "Run a drill by hand once fixed: ./ops invoke RestoreDrillFunction -e events/drill/manual.json (or invoke the deployed function with {\"action\": \"start\"}).");
        }
        n.nextStep("History: s3://" + config.stateBucket() + "/" + DrillLedger.runKey(runId, "report.json"));
        return n.build();
    }

    /** What one database's drill restored, measured and cost. */
    private void databaseFacts(Notification.Builder n, JsonNode r) {
        String db = r.path("db").asText("?");
        n.fact(
                db,
                r.path("outcome").asText("?")
                        + (r.hasNonNull("failure") ? ": " + r.get("failure").asText() : ""));
        if (r.hasNonNull("sourceInstance")) {
            n.fact(
                    db + " source",
                    r.get("sourceInstance").asText() + "'s automated backups, to " + text(r, "restoreTo"));
        } else if (r.hasNonNull("snapshot")) {
            n.fact(db + " snapshot", text(r, "snapshot") + age(r));
        }
        n.fact(db + " recovery point", recoveryPoint(r));
        n.fact(db + " time to available", minutes(r, "restoreMinutes"));
        n.fact(db + " time to validated", minutes(r, "validatedMinutes"));
        n.fact(
                db + " data lag",
                r.hasNonNull("dataLagMinutes") && !r.hasNonNull("recoveryLagSeconds")
                        ? r.get("dataLagMinutes").asLong() + " min behind the snapshot (newest row "
                                + text(r, "newestRow") + ")"
                        : null);
        for (JsonNode step : r.path("steps")) {
            if (step.path("name").asText().startsWith("check ")) {
                n.fact(
                        db + " " + step.path("name").asText(),
                        step.path("detail").asText());
            }
        }
        n.fact(
                db + " cost",
                r.hasNonNull("estimatedCostUsd")
                        ? "about $" + r.get("estimatedCostUsd").asText() + " ("
                                + r.path("instanceHours").asText() + " instance-hours of " + config.instanceClass()
                                + ")"
                        : null);
        n.fact(
                db + " scratch instance",
                r.hasNonNull("deletion") ? r.get("deletion").asText() : null);
        n.fact(
                db + " validated against",
                r.hasNonNull("validatedAgainst") ? r.get("validatedAgainst").asText() : null);
    }

    private String title(DrillMode mode) {
        return switch (mode) {
            case SNAPSHOT -> "Restore drill";
            case POINT_IN_TIME -> "Point-in-time restore drill";
            case DR_REGION ->
                "DR-region restore drill ("
                        + config.modes()
                                .drSite()
                                .map(DrillConfig.DrSite::region)
                                .orElse("DR region") + ")";
        };
    }

    private static String passedSummary(DrillMode mode) {
        return switch (mode) {
            case SNAPSHOT -> "The newest snapshot of each database restored, answered and held recent data.";
            case POINT_IN_TIME ->
                "Each database's automated backups restored to the drill's point in time, answered, and held rows up"
                        + " to that point and none after it.";
            case DR_REGION ->
                "The newest copy of each database in the DR region restored there, answered and held recent data.";
        };
    }

    /** "restored to 14:02:00, newest row 14:01:57, lag 3 s": what the recovery-point step measured. */
    private static String recoveryPoint(JsonNode r) {
        for (JsonNode step : r.path("steps")) {
            if ("recovery point".equals(step.path("name").asText())) {
                return step.path("detail").asText();
            }
        }
        return null;
    }

    private static boolean deletePending(List<JsonNode> results) {
        return results.stream().anyMatch(r -> r.hasNonNull("deletion"));
    }

    private static String text(JsonNode r, String field) {
        return r.hasNonNull(field) ? r.get(field).asText() : "?";
    }

    private static String age(JsonNode r) {
        return r.hasNonNull("snapshotAgeHours")
                ? " (" + r.get("snapshotAgeHours").asText() + " h old at restore)"
                : "";
    }

    private static String minutes(JsonNode r, String field) {
        return r.hasNonNull(field) ? r.get(field).asText() + " min" : null;
    }
}
