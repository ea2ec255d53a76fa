package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The drill's records in the state bucket, for what outlives an instance: each run, each
 * database's result, the report (sent once, whichever invocation completes the run) and the last
 * pass. Records are created once ({@link DrillStore#create}): a redelivered event never writes a
 * second result or sends a second report.
 */
final class DrillLedger {
    static final String PREFIX = "drills/";
    static final String OPEN_PREFIX = PREFIX + "open/";
    static final String LAST_PASS = PREFIX + "last-pass.json";
    static final String WATCH_SINCE = PREFIX + "watch-since.json";

    /** Each mode's last pass: the snapshot drill's where it always was, the others beside it. */
    static String lastPass(DrillMode mode) {
        return mode == DrillMode.SNAPSHOT ? LAST_PASS : PREFIX + "last-pass-" + mode.id() + ".json";
    }

    private static String watchSince(DrillMode mode) {
        return mode == DrillMode.SNAPSHOT ? WATCH_SINCE : PREFIX + "watch-since-" + mode.id() + ".json";
    }

    private final DrillStore store;
    private final DrillNotice report;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;

    DrillLedger(DrillStore store, DrillNotice report, Notifier notifier, OpsMetrics metrics, OpsLog log, Clock clock) {
        this.store = store;
        this.report = report;
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    static String runKey(String runId, String name) {
        return PREFIX + "runs/" + runId + "/" + name;
    }

    private static String openKey(String runId) {
        return OPEN_PREFIX + runId;
    }

    /** Records a new run and marks it open; false when the run was started already. */
    boolean open(DrillRun run) {
        if (!store.create(runKey(run.runId(), "run.json"), Json.write(run))) {
            return false;
        }
        store.put(openKey(run.runId()), Json.write(run));
        return true;
    }

    /** A database's drill ended before there was an instance to validate. */
    void finishWithout(String runId, String db, String instance, String why) {
        store.create(
                runKey(runId, db + ".json"),
                Json.write(DbResult.without(runId, modeOf(runId).id(), db, instance, why)));
    }

    private DrillMode modeOf(String runId) {
        return DrillMode.ofRecorded(store.read(runKey(runId, "run.json"))
                .map(run -> run.path("mode").asText(null))
                .orElse(null));
    }

    /** Keeps a database's result (once) and reports the run when it was the last one owed. */
    void record(DbResult result) {
        String runId = result.runId();
        if (store.read(runKey(runId, "run.json")).isEmpty()) {
            // an instance with no record of its run (the start crashed after the restore): reported on its own
            store.create(
                    runKey(runId, "run.json"),
                    Json.write(DrillRun.reconstructed(runId, result.db(), result.instance(), result.mode())));
        }
        if (store.create(runKey(runId, result.db() + ".json"), Json.write(result))) {
            complete(runId);
        }
    }

    /**
     * Looks after the open runs: past its expiry, a database whose instance is gone without a result
     * (a crashed start, a hand-deleted instance) fails; a run with every result is reported. Returns
     * the runs this call reported.
     */
    List<String> sweep(Instant now, Collection<String> liveInstances) {
        List<String> reported = new ArrayList<>();
        for (String key : store.keys(OPEN_PREFIX)) {
            String runId = key.substring(OPEN_PREFIX.length());
            Optional<JsonNode> run = store.read(runKey(runId, "run.json"));
            if (run.isEmpty()) {
                store.remove(key);
                continue;
            }
            Instant expires = time(run.get().path("expires").asText()).orElse(now);
            if (now.isAfter(expires)) {
                run.get().path("instances").properties().forEach(e -> {
                    if (!liveInstances.contains(e.getValue().asText())) {
                        finishWithout(
                                runId,
                                e.getKey(),
                                e.getValue().asText(),
                                "the drill instance is gone without a result");
                    }
                });
            }
            if (complete(runId)) {
                reported.add(runId);
            }
        }
        return reported;
    }

    /** Reports the run once every database has a result; true when this call reported it. */
    boolean complete(String runId) {
        Optional<JsonNode> run = store.read(runKey(runId, "run.json"));
        if (run.isEmpty()) {
            return false;
        }
        List<JsonNode> results = new ArrayList<>();
        for (var e : run.get().path("instances").properties()) {
            Optional<JsonNode> r = store.read(runKey(runId, e.getKey() + ".json"));
            if (r.isEmpty()) {
                return false;
            }
            results.add(r.get());
        }
        boolean passed =
                results.stream().allMatch(r -> "PASS".equals(r.path("outcome").asText()));
        DrillMode mode = DrillMode.ofRecorded(run.get().path("mode").asText(null));
        DrillRun.Report summary =
                new DrillRun.Report(runId, mode.id(), passed ? "PASS" : "FAIL", now().toString(), results);
        if (!store.create(runKey(runId, "report.json"), Json.write(summary))) {
            store.remove(openKey(runId)); // another invocation reported it
            return false;
        }
        if (passed) {
            store.put(lastPass(mode), Json.write(Map.of("runId", runId, "passedAt", now().toString())));
        }
        store.remove(openKey(runId));
        // the snapshot drill's metrics keep their names (its alarms); the other modes are a dimension
        Map<String, String> dims = mode == DrillMode.SNAPSHOT ? Map.of() : Map.of("Mode", mode.id());
        metrics.put("DrillSucceeded", passed ? 1 : 0, OpsMetrics.Unit.COUNT, dims);
        largest(results, "restoreMinutes").ifPresent(v -> metrics.put("RestoreMinutes", v, OpsMetrics.Unit.NONE, dims));
        largest(results, "dataLagMinutes").ifPresent(v -> metrics.put("DataLagMinutes", v, OpsMetrics.Unit.NONE, dims));
        largest(results, "recoveryLagSeconds")
                .ifPresent(v -> metrics.put("RecoveryPointLagSeconds", v, OpsMetrics.Unit.NONE, dims));
        log.info("restore drill reported", "run", runId, "mode", mode.id(), "outcome", passed ? "PASS" : "FAIL");
        notifier.send(report.notification(runId, mode, passed, results));
        return true;
    }

    private static Optional<Double> largest(List<JsonNode> results, String field) {
        return results.stream()
                .map(r -> r.get(field))
                .filter(v -> v != null && v.isNumber())
                .map(JsonNode::asDouble)
                .max(Double::compare);
    }

    /** Days since a drill of {@code mode} last passed; never passed, days since the watchdog first looked. */
    double daysSincePass(Instant now, DrillMode mode) {
        Optional<Instant> last =
                store.read(lastPass(mode)).flatMap(n -> time(n.path("passedAt").asText()));
        if (last.isEmpty()) {
            // never passed: count from when the watchdog first looked, not from the epoch
            store.create(watchSince(mode), Json.write(Map.of("since", now.toString())));
            last = store.read(watchSince(mode))
                    .flatMap(n -> time(n.path("since").asText()));
        }
        return Math.round(Duration.between(last.orElse(now), now).toMinutes() / 144.0) / 10.0;
    }

    static Optional<Instant> time(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The clock's time to the second: what tags, records and reports show. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
