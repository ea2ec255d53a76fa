package com.kfood.ops.drill;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The monthly restore drill. A start restores each database's newest managed snapshot into a
 * scratch instance and returns; RDS's events for that instance (and the watchdog's schedule, should
 * an event be lost) bring the drill back when the instance is available, to validate it over a real
 * connection and delete it. The drill's state lives on the instance's tags and, for what outlives
 * the instance, in the state bucket ({@link DrillStore}); no invocation waits for RDS.
 */
final class RestoreDrill implements OpsFunction {
    static final String TAG_MANAGED_BY = "ManagedBy";
    static final String TAG_RUN = "kfood-ops:drill";
    static final String TAG_EXPIRES = "kfood-ops:expires";
    static final String TAG_DB = "kfood-ops:drill-db";
    static final String TAG_SOURCE = "kfood-ops:drill-source";
    static final String TAG_SNAPSHOT_CREATED = "kfood-ops:snapshot-created";
    static final String TAG_RESTORE_STARTED = "kfood-ops:restore-started";
    static final String TAG_PHASE = "kfood-ops:phase";
    static final String TAG_AVAILABLE_AT = "kfood-ops:available-at";
    /** The phase of an instance validated and reported whose deletion RDS refused. */
    static final String DELETE_PENDING = "delete-pending";
    /** Left of Lambda's time after the validations: the teardown and the report need it. */
    private static final Duration VALIDATION_MARGIN = Duration.ofSeconds(30);

    /** RDS bills at least ten minutes of an instance. */
    private static final Duration MINIMUM_BILLED = Duration.ofMinutes(10);
    /** A validation that has not finished in this long crashed; the next look may retry it. */
    private static final Duration VALIDATION_STUCK = Duration.ofMinutes(20);

    private static final Set<String> FAILED_STATES = Set.of(
            "failed",
            "incompatible-restore",
            "incompatible-parameters",
            "incompatible-network",
            "incompatible-option-group",
            "restore-error",
            "storage-full",
            "inaccessible-encryption-credentials");
    private static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Opens the connection to a restored instance ({@code host}, {@code port}, {@code dbname}, credentials). */
    @FunctionalInterface
    interface Connector {
        Connection connect(JsonNode target) throws SQLException;
    }

    /** What one invocation did; {@code databases} has a line per database it touched. */
    record DrillResult(
            String action, String runId, boolean dryRun, String outcome, List<Map<String, Object>> databases) {}

    private final DrillConfig config;
    private final DrillPlatform platform;
    private final DrillStore store;
    private final Connector connector;
    private final DrillReport report;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final Runnable[] priming;

    RestoreDrill(
            DrillConfig config,
            DrillPlatform platform,
            DrillStore store,
            Connector connector,
            Notifier notifier,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock,
            Runnable[] priming) {
        this.config = config;
        this.platform = platform;
        this.store = store;
        this.connector = connector;
        this.report = new DrillReport(config);
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
        this.priming = priming;
    }

    @Override
    public Runnable[] primingCalls() {
        Runnable[] calls = Arrays.copyOf(priming, priming.length + 1);
        calls[priming.length] = notifier::prime;
        return calls;
    }

    @Override
    public DrillResult handle(JsonNode event, Context context) {
        // every validation of this invocation shares one budget, well inside Lambda's timeout
        Deadline budget = Deadline.within(
                config.validationBudget(),
                context == null ? Deadline.unlimited() : Deadline.of(context),
                VALIDATION_MARGIN);
        return switch (DrillEvent.parse(event, clock, config.instancePrefix())) {
            case DrillEvent.Start s -> start(s);
            case DrillEvent.Watch w -> watch(budget);
            case DrillEvent.InstanceChanged c -> changed(c, budget);
        };
    }

    // ------------------------------------------------------------------ start

    private DrillResult start(DrillEvent.Start s) {
        boolean dryRun = config.dryRun() || s.dryRun();
        String runId = RUN_ID.format(s.scheduledFor());
        Instant now = now();
        Instant expires = now.plus(config.expiresAfter());
        Map<String, Optional<DrillPlatform.SourceSnapshot>> sources = new LinkedHashMap<>();
        for (String db : config.dbInstanceIds()) {
            sources.put(db, platform.newestSnapshot(db));
        }
        if (dryRun) {
            List<Map<String, Object>> lines = new ArrayList<>();
            sources.forEach((db, snapshot) -> lines.add(snapshot.map(sn ->
                            line(db, "would restore", plan(db, runId, s.scheduledFor(), sn, now, expires), sn, now))
                    .orElseGet(() ->
                            Map.of("db", db, "outcome", "nothing to restore: no available snapshot of this stack"))));
            log.info("restore drill dry run", "run", runId, "databases", lines.size());
            return new DrillResult("start", runId, true, "dry run: nothing restored", lines);
        }
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", runId);
        run.put("startedAt", now.toString());
        run.put("expires", expires.toString());
        Map<String, String> instances = new LinkedHashMap<>();
        config.dbInstanceIds().forEach(db -> instances.put(db, config.instanceId(db, s.scheduledFor())));
        run.put("instances", instances);
        if (!store.create(runKey(runId, "run.json"), Json.write(run))) {
            log.info("restore drill already started", "run", runId);
            return new DrillResult("start", runId, false, "already started: no second restore", List.of());
        }
        store.put(openKey(runId), Json.write(run));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (var e : sources.entrySet()) {
            String db = e.getKey();
            if (e.getValue().isEmpty()) {
                finishWithout(runId, db, instances.get(db), "no available snapshot managed by this stack to restore");
                lines.add(Map.of("db", db, "outcome", "FAIL: no snapshot to restore"));
                continue;
            }
            DrillPlatform.SourceSnapshot snapshot = e.getValue().get();
            DrillPlatform.RestorePlan plan = plan(db, runId, s.scheduledFor(), snapshot, now, expires);
            try {
                // protected first: the prune must not take the snapshot while RDS reads it
                platform.protect(snapshot, expires);
                platform.restore(plan);
                log.info("restore started", "run", runId, "instance", plan.instanceId(), "snapshot", snapshot.id());
                lines.add(line(db, "restoring", plan, snapshot, now));
            } catch (DrillPlatform.InstanceExists taken) {
                // another drill of today holds the name: its teardown releases the snapshot
                finishWithout(
                        runId,
                        db,
                        plan.instanceId(),
                        taken.getMessage() + ": an earlier drill is still running or being deleted");
                lines.add(Map.of("db", db, "outcome", "FAIL: " + taken.getMessage()));
            } catch (RuntimeException refused) {
                String why = "restore refused: " + Errors.describe(refused);
                release(snapshot.arn());
                finishWithout(runId, db, plan.instanceId(), why);
                lines.add(Map.of("db", db, "outcome", "FAIL: " + why));
            }
        }
        complete(runId);
        return new DrillResult("start", runId, false, "started", lines);
    }

    private DrillPlatform.RestorePlan plan(
            String db, String runId, Instant day, DrillPlatform.SourceSnapshot snapshot, Instant now, Instant expires) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG_MANAGED_BY, config.managedBy());
        tags.put(TAG_RUN, runId);
        tags.put(TAG_EXPIRES, expires.toString());
        tags.put(TAG_DB, db);
        tags.put(TAG_SOURCE, snapshot.id());
        tags.put(TAG_SNAPSHOT_CREATED, snapshot.created().toString());
        tags.put(TAG_RESTORE_STARTED, now.toString());
        tags.put(TAG_PHASE, "restoring");
        return new DrillPlatform.RestorePlan(
                config.instanceId(db, day),
                snapshot.id(),
                config.instanceClass(),
                config.subnetGroup(),
                config.securityGroupIds(),
                tags);
    }

    private static Map<String, Object> line(
            String db,
            String outcome,
            DrillPlatform.RestorePlan plan,
            DrillPlatform.SourceSnapshot snapshot,
            Instant now) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("db", db);
        line.put("outcome", outcome);
        line.put("snapshot", snapshot.id());
        line.put("snapshotAgeHours", hours(Duration.between(snapshot.created(), now)));
        line.put("instance", plan.instanceId());
        line.put("instanceClass", plan.instanceClass());
        line.put("multiAZ", false);
        line.put("publiclyAccessible", false);
        line.put("subnetGroup", plan.subnetGroup());
        line.put("securityGroups", plan.securityGroupIds());
        line.put("credentials", "a new master password that RDS keeps in its own secret, deleted with the instance");
        line.put("tags", plan.tags());
        return line;
    }

    // ------------------------------------------------------------------ instance events and the watchdog

    private DrillResult changed(DrillEvent.InstanceChanged c, Deadline budget) {
        log.info("RDS event", "instance", c.instanceId(), "message", c.message());
        Optional<DrillPlatform.Instance> instance = platform.instance(c.instanceId());
        if (instance.isEmpty()) {
            return new DrillResult("event", null, false, "instance gone: nothing to do", List.of());
        }
        return advance(instance.get(), c.at(), "RDS event", budget);
    }

    private DrillResult advance(DrillPlatform.Instance i, Instant observedAt, String via, Deadline budget) {
        String runId = i.tags().get(TAG_RUN);
        if (!isOurs(i)) {
            log.warn("not a drill instance of this stack: left alone", "instance", i.id());
            return new DrillResult("event", null, false, "not ours: left alone", List.of(Map.of("instance", i.id())));
        }
        Instant now = now();
        if ("deleting".equals(i.status())) {
            return waiting(i, "instance being deleted"); // RDS's events after a teardown: nothing left to do
        }
        if (DELETE_PENDING.equals(i.tags().get(TAG_PHASE))) {
            return retryDelete(i); // validated and reported already: only the deletion is owed
        }
        Optional<Instant> expires = time(i.tags().get(TAG_EXPIRES));
        if (expires.isEmpty() || !now.isBefore(expires.get())) {
            return teardown(
                    i, failure(i, "expired before it was validated (status " + i.status() + ")", via), "expired");
        }
        String status = i.status() == null ? "unknown" : i.status();
        if (FAILED_STATES.contains(status)) {
            return teardown(i, failure(i, "the restore failed: instance status " + status, via), "restore failed");
        }
        if (!"available".equals(status)) {
            return waiting(i, "instance " + status);
        }
        if (i.secretArn() == null || !"active".equals(i.secretStatus())) {
            return waiting(i, "master secret " + (i.secretStatus() == null ? "missing" : i.secretStatus()));
        }
        Optional<Instant> validating = time(i.tags().get(TAG_AVAILABLE_AT));
        if ("validating".equals(i.tags().get(TAG_PHASE))
                && validating.isPresent()
                && now.isBefore(validating.get().plus(VALIDATION_STUCK))) {
            return waiting(i, "being validated by another invocation");
        }
        // RDS's time for the event, within what can be true: after the restore call, not after now
        Instant started = time(i.tags().get(TAG_RESTORE_STARTED)).orElse(now);
        Instant availableAt =
                validating.orElse(observedAt.isBefore(started) ? started : observedAt.isAfter(now) ? now : observedAt);
        platform.tag(i, Map.of(TAG_PHASE, "validating", TAG_AVAILABLE_AT, availableAt.toString()));
        Map<String, Object> result = validate(i, availableAt, via, budget);
        return teardown(i, result, String.valueOf(result.get("outcome")));
    }

    private DrillResult waiting(DrillPlatform.Instance i, String what) {
        log.info("drill waiting", "instance", i.id(), "for", what);
        return new DrillResult(
                "event", i.tags().get(TAG_RUN), false, "waiting: " + what, List.of(Map.of("instance", i.id())));
    }

    private DrillResult watch(Deadline budget) {
        Instant now = now();
        List<Map<String, Object>> lines = new ArrayList<>();
        List<String> live = new ArrayList<>();
        for (DrillPlatform.Instance i : platform.instancesNamed(config.instancePrefix())) {
            live.add(i.id());
            if (isOurs(i)) {
                DrillResult r = advance(i, now, "watchdog", budget);
                lines.add(Map.of("instance", i.id(), "outcome", r.outcome()));
            }
        }
        for (String key : store.keys(OPEN_PREFIX)) {
            String runId = key.substring(OPEN_PREFIX.length());
            Optional<JsonNode> run = store.read(runKey(runId, "run.json"));
            if (run.isEmpty()) {
                store.remove(key);
                continue;
            }
            Instant expires = time(run.get().path("expires").asText()).orElse(now);
            // an instance that vanished without a result (a crashed start, a hand-deleted instance)
            if (now.isAfter(expires)) {
                run.get().path("instances").properties().forEach(e -> {
                    if (!live.contains(e.getValue().asText())) {
                        finishWithout(
                                runId,
                                e.getKey(),
                                e.getValue().asText(),
                                "the drill instance is gone without a result");
                    }
                });
            }
            if (complete(runId)) {
                lines.add(Map.of("run", runId, "outcome", "reported"));
            }
        }
        metrics.put("DaysSinceDrillPassed", daysSincePass(now), OpsMetrics.Unit.NONE, Map.of());
        return new DrillResult(
                "watch", null, false, lines.isEmpty() ? "nothing open" : "looked after " + lines.size(), lines);
    }

    private boolean isOurs(DrillPlatform.Instance i) {
        return i.id().startsWith(config.instancePrefix())
                && config.managedBy().equals(i.tags().get(TAG_MANAGED_BY))
                && i.tags().get(TAG_RUN) != null
                && i.tags().get(TAG_DB) != null;
    }

    // ------------------------------------------------------------------ validate, tear down, report

    private Map<String, Object> validate(DrillPlatform.Instance i, Instant availableAt, String via, Deadline budget) {
        Instant started = time(i.tags().get(TAG_RESTORE_STARTED)).orElse(availableAt);
        Instant snapshotCreated = time(i.tags().get(TAG_SNAPSHOT_CREATED)).orElse(started);
        String target = config.localEndpoint().orElse(i.host() + ":" + i.port());
        Validation.Outcome outcome;
        try {
            JsonNode secret = platform.masterSecret(i.secretArn());
            var connection = Json.object()
                    .put("host", target.substring(0, target.lastIndexOf(':')))
                    .put("port", target.substring(target.lastIndexOf(':') + 1))
                    .put("dbname", config.database())
                    .put("username", secret.path("username").asText(""))
                    .put("password", secret.path("password").asText(""));
            if (config.localEndpoint().isPresent()) {
                log.info(
                        "emulator: validating against the local PostgreSQL, not the restored endpoint",
                        "endpoint",
                        target);
            }
            try (Connection c = connector.connect(connection)) {
                outcome = new Validation(config, budget).run(c, snapshotCreated);
            }
        } catch (SQLException | RuntimeException e) {
            outcome = new Validation.Outcome(
                    List.of(new Validation.Step("connect", false, Errors.describe(e), null)), null, null);
        }
        Instant validatedAt = now();
        Map<String, Object> result = base(i, via);
        result.put("outcome", outcome.passed() ? "PASS" : "FAIL");
        if (!outcome.passed()) {
            result.put("failure", outcome.firstFailure());
        }
        result.put("availableAt", availableAt.toString());
        result.put("validatedAt", validatedAt.toString());
        result.put("restoreMinutes", minutes(Duration.between(started, availableAt)));
        result.put("validatedMinutes", minutes(Duration.between(started, validatedAt)));
        result.put("dataLagMinutes", outcome.dataLagMinutes());
        result.put(
                "newestRow",
                outcome.newestRow() == null ? null : outcome.newestRow().toString());
        result.put(
                "validatedAgainst",
                config.localEndpoint().isPresent() ? "local PostgreSQL " + target + " (emulator)" : target);
        result.put("steps", outcome.steps());
        return result;
    }

    private Map<String, Object> failure(DrillPlatform.Instance i, String why, String via) {
        Map<String, Object> result = base(i, via);
        result.put("outcome", "FAIL");
        result.put("failure", why);
        return result;
    }

    private Map<String, Object> base(DrillPlatform.Instance i, String via) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("db", i.tags().get(TAG_DB));
        result.put("runId", i.tags().get(TAG_RUN));
        result.put("instance", i.id());
        result.put("snapshot", i.tags().get(TAG_SOURCE));
        result.put("snapshotCreated", i.tags().get(TAG_SNAPSHOT_CREATED));
        result.put("restoreStartedAt", i.tags().get(TAG_RESTORE_STARTED));
        time(i.tags().get(TAG_SNAPSHOT_CREATED))
                .flatMap(created ->
                        time(i.tags().get(TAG_RESTORE_STARTED)).map(s -> hours(Duration.between(created, s))))
                .ifPresent(age -> result.put("snapshotAgeHours", age));
        result.put("observedBy", via);
        return result;
    }

    private DrillResult teardown(DrillPlatform.Instance i, Map<String, Object> result, String outcome) {
        Optional<String> refused = platform.delete(i.id());
        String source = i.tags().get(TAG_SOURCE);
        if (source != null && i.arn() != null && i.arn().contains(":db:")) {
            release(i.arn().substring(0, i.arn().indexOf(":db:")) + ":snapshot:" + source);
        }
        Instant end = now();
        Duration billed = time(i.tags().get(TAG_RESTORE_STARTED))
                .map(s -> Duration.between(s, end))
                .filter(d -> d.compareTo(MINIMUM_BILLED) > 0)
                .orElse(MINIMUM_BILLED);
        if (refused.isPresent()) {
            // RDS would not delete it now (its state): said so, marked, and the watchdog retries
            result.put("deletion", "delete pending, the watchdog retries: " + refused.get());
            markDeletePending(i);
        } else {
            result.put("deletedAt", end.toString());
        }
        result.put("instanceHours", hours(billed));
        result.put(
                "estimatedCostUsd",
                config.hourlyPriceUsd()
                        .multiply(BigDecimal.valueOf(billed.toSeconds()))
                        .divide(BigDecimal.valueOf(3600), 2, RoundingMode.UP));
        String runId = i.tags().get(TAG_RUN);
        String db = i.tags().get(TAG_DB);
        log.info(
                refused.isPresent() ? "drill instance delete pending" : "drill instance deleted",
                "instance",
                i.id(),
                "outcome",
                result.get("outcome"));
        if (store.read(runKey(runId, "run.json")).isEmpty()) {
            // an instance with no record of its run (the start crashed after the restore): reported on its own
            store.create(
                    runKey(runId, "run.json"),
                    Json.write(Map.of("runId", runId, "instances", Map.of(db, i.id()), "reconstructed", true)));
        }
        if (store.create(runKey(runId, db + ".json"), Json.write(result))) {
            complete(runId);
        }
        return new DrillResult("event", runId, false, outcome, List.of(result));
    }

    private void markDeletePending(DrillPlatform.Instance i) {
        try {
            platform.tag(i, Map.of(TAG_PHASE, DELETE_PENDING));
        } catch (RuntimeException e) {
            // untagged, the watchdog finds it expired and deletes it then
            log.warn("could not mark the instance delete-pending", "instance", i.id(), "error", Errors.describe(e));
        }
    }

    /** A drill instance whose result is reported but whose deletion RDS refused: asked again. */
    private DrillResult retryDelete(DrillPlatform.Instance i) {
        Optional<String> refused = platform.delete(i.id());
        String outcome = refused.map(r -> "delete pending, the watchdog retries: " + r)
                .orElse("deleted (its result was reported earlier)");
        log.info("drill instance delete retried", "instance", i.id(), "outcome", outcome);
        return new DrillResult("event", i.tags().get(TAG_RUN), false, outcome, List.of(Map.of("instance", i.id())));
    }

    /** Removes the drill's mark from a snapshot; the mark expires by itself, so a failure only warns. */
    private void release(String snapshotArn) {
        try {
            platform.release(snapshotArn);
        } catch (RuntimeException e) {
            log.warn(
                    "could not remove the drill mark from the snapshot",
                    "snapshot",
                    snapshotArn,
                    "error",
                    Errors.describe(e));
        }
    }

    /** A database's drill ended before there was an instance to validate. */
    private void finishWithout(String runId, String db, String instance, String why) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("db", db);
        result.put("runId", runId);
        result.put("instance", instance);
        result.put("outcome", "FAIL");
        result.put("failure", why);
        store.create(runKey(runId, db + ".json"), Json.write(result));
    }

    /** Reports the run once every database has a result; true when this call reported it. */
    private boolean complete(String runId) {
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
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runId", runId);
        summary.put("outcome", passed ? "PASS" : "FAIL");
        summary.put("reportedAt", now().toString());
        summary.put("databases", results);
        if (!store.create(runKey(runId, "report.json"), Json.write(summary))) {
            store.remove(openKey(runId)); // another invocation reported it
            return false;
        }
        if (passed) {
            store.put(LAST_PASS, Json.write(Map.of("runId", runId, "passedAt", now().toString())));
        }
        store.remove(openKey(runId));
        metrics.put("DrillSucceeded", passed ? 1 : 0, OpsMetrics.Unit.COUNT, Map.of());
        results.stream()
                .map(r -> r.get("restoreMinutes"))
                .filter(v -> v != null && v.isNumber())
                .mapToDouble(JsonNode::asDouble)
                .max()
                .ifPresent(v -> metrics.put("RestoreMinutes", v, OpsMetrics.Unit.NONE, Map.of()));
        results.stream()
                .map(r -> r.get("dataLagMinutes"))
                .filter(v -> v != null && v.isNumber())
                .mapToDouble(JsonNode::asDouble)
                .max()
                .ifPresent(v -> metrics.put("DataLagMinutes", v, OpsMetrics.Unit.NONE, Map.of()));
        log.info("restore drill reported", "run", runId, "outcome", passed ? "PASS" : "FAIL");
        notifier.send(report.notification(runId, passed, results));
        return true;
    }

    private double daysSincePass(Instant now) {
        Optional<Instant> last =
                store.read(LAST_PASS).flatMap(n -> time(n.path("passedAt").asText()));
        if (last.isEmpty()) {
            // never passed: count from when the watchdog first looked, not from the epoch
            store.create(WATCH_SINCE, Json.write(Map.of("since", now.toString())));
            last = store.read(WATCH_SINCE).flatMap(n -> time(n.path("since").asText()));
        }
        return Math.round(Duration.between(last.orElse(now), now).toMinutes() / 144.0) / 10.0;
    }

    // ------------------------------------------------------------------ keys and small helpers

    static final String PREFIX = "drills/";
    static final String OPEN_PREFIX = PREFIX + "open/";
    static final String LAST_PASS = PREFIX + "last-pass.json";
    static final String WATCH_SINCE = PREFIX + "watch-since.json";

    static String runKey(String runId, String name) {
        return PREFIX + "runs/" + runId + "/" + name;
    }

    private static String openKey(String runId) {
        return OPEN_PREFIX + runId;
    }

    private static Optional<Instant> time(String text) {
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
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static double minutes(Duration d) {
        return Math.round(d.toSeconds() / 6.0) / 10.0;
    }

    private static double hours(Duration d) {
        return Math.round(d.toMinutes() / 6.0) / 10.0;
    }
}
