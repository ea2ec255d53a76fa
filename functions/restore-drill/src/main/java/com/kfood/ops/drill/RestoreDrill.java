package com.kfood.ops.drill;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The monthly restore drill. A start restores each database's newest managed snapshot into a
 * scratch instance and returns; RDS's events for that instance (and the watchdog's schedule, should
 * an event be lost) bring the drill back when the instance is available, to validate it over a real
 * connection and delete it. The drill's state lives on the instance's tags and, for what outlives
 * the instance, in the state bucket ({@link DrillStore}); no invocation waits for RDS.
 */
final class RestoreDrill implements OpsFunction {
    /** Left of Lambda's time after the validations: the teardown and the report need it. */
    private static final Duration VALIDATION_MARGIN = Duration.ofSeconds(30);

    private static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Opens the connection to a restored instance ({@code host}, {@code port}, {@code dbname}, credentials). */
    @FunctionalInterface
    interface Connector {
        Connection connect(JsonNode target) throws SQLException;
    }

    /** What the drill works with: RDS and Secrets Manager, the state bucket, the database driver. */
    record Rig(DrillPlatform platform, DrillStore store, Connector connector) {}

    /** What one invocation did; {@code databases} has a line per database, instance or run it touched. */
    record DrillResult(String action, String runId, boolean dryRun, String outcome, List<DrillLine> databases) {}

    private final DrillConfig config;
    private final Rig rig;
    private final DrillLedger ledger;
    private final ScratchInstance instances;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;

    RestoreDrill(DrillConfig config, Rig rig, Notifier notifier, OpsMetrics metrics, OpsLog log, Clock clock) {
        this.config = config;
        this.rig = rig;
        this.ledger = new DrillLedger(rig.store(), new DrillNotice(config), notifier, metrics, log, clock);
        this.instances = new ScratchInstance(config, rig.platform(), rig.connector(), ledger, log);
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(rig.platform().primingCalls()));
        calls.add(rig.store().primingCall());
        calls.add(notifier::prime);
        return calls.toArray(Runnable[]::new);
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
        Instant now = ledger.now();
        Instant expires = now.plus(config.expiresAfter());
        Map<String, Optional<DrillPlatform.SourceSnapshot>> sources = new LinkedHashMap<>();
        for (String db : config.dbInstanceIds()) {
            sources.put(db, rig.platform().newestSnapshot(db));
        }
        if (dryRun) {
            List<DrillLine> lines = new ArrayList<>();
            sources.forEach((db, snapshot) -> lines.add(snapshot.<DrillLine>map(sn ->
                            line(db, "would restore", plan(db, runId, s.scheduledFor(), sn, now, expires), sn, now))
                    .orElseGet(
                            () -> DrillLine.Said.db(db, "nothing to restore: no available snapshot of this stack"))));
            log.info("restore drill dry run", "run", runId, "databases", lines.size());
            return new DrillResult("start", runId, true, "dry run: nothing restored", lines);
        }
        Map<String, String> names = new LinkedHashMap<>();
        config.dbInstanceIds().forEach(db -> names.put(db, config.instanceId(db, s.scheduledFor())));
        if (!ledger.open(new DrillRun(runId, now.toString(), expires.toString(), names, null))) {
            log.info("restore drill already started", "run", runId);
            return new DrillResult("start", runId, false, "already started: no second restore", List.of());
        }
        List<DrillLine> lines = new ArrayList<>();
        for (var e : sources.entrySet()) {
            String db = e.getKey();
            lines.add(e.getValue()
                    .map(snapshot -> restore(
                            db, snapshot, plan(db, runId, s.scheduledFor(), snapshot, now, expires), expires, now))
                    .orElseGet(() -> {
                        ledger.finishWithout(
                                runId, db, names.get(db), "no available snapshot managed by this stack to restore");
                        return DrillLine.Said.db(db, "FAIL: no snapshot to restore");
                    }));
        }
        ledger.complete(runId);
        return new DrillResult("start", runId, false, "started", lines);
    }

    /** Starts one database's restore, the snapshot protected first; a refusal ends its drill at once. */
    private DrillLine restore(
            String db,
            DrillPlatform.SourceSnapshot snapshot,
            DrillPlatform.RestorePlan plan,
            Instant expires,
            Instant now) {
        String runId = plan.tags().get(ScratchInstance.TAG_RUN);
        try {
            // protected first: the prune must not take the snapshot while RDS reads it
            rig.platform().protect(snapshot, expires);
            rig.platform().restore(plan);
            log.info("restore started", "run", runId, "instance", plan.instanceId(), "snapshot", snapshot.id());
            return line(db, "restoring", plan, snapshot, now);
        } catch (DrillPlatform.InstanceExists taken) {
            // another drill of today holds the name: its teardown releases the snapshot
            ledger.finishWithout(
                    runId,
                    db,
                    plan.instanceId(),
                    taken.getMessage() + ": an earlier drill is still running or being deleted");
            return DrillLine.Said.db(db, "FAIL: " + taken.getMessage());
        } catch (RuntimeException refused) {
            String why = "restore refused: " + Errors.describe(refused);
            instances.release(snapshot.arn());
            ledger.finishWithout(runId, db, plan.instanceId(), why);
            return DrillLine.Said.db(db, "FAIL: " + why);
        }
    }

    private DrillPlatform.RestorePlan plan(
            String db, String runId, Instant day, DrillPlatform.SourceSnapshot snapshot, Instant now, Instant expires) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ScratchInstance.TAG_MANAGED_BY, config.managedBy());
        tags.put(ScratchInstance.TAG_RUN, runId);
        tags.put(ScratchInstance.TAG_EXPIRES, expires.toString());
        tags.put(ScratchInstance.TAG_DB, db);
        tags.put(ScratchInstance.TAG_SOURCE, snapshot.id());
        tags.put(ScratchInstance.TAG_SNAPSHOT_CREATED, snapshot.created().toString());
        tags.put(ScratchInstance.TAG_RESTORE_STARTED, now.toString());
        tags.put(ScratchInstance.TAG_PHASE, "restoring");
        return new DrillPlatform.RestorePlan(
                config.instanceId(db, day),
                snapshot.id(),
                config.instanceClass(),
                config.subnetGroup(),
                config.securityGroupIds(),
                tags);
    }

    private static DrillLine line(
            String db,
            String outcome,
            DrillPlatform.RestorePlan plan,
            DrillPlatform.SourceSnapshot snapshot,
            Instant now) {
        return new DrillLine.Planned(
                db,
                outcome,
                snapshot.id(),
                ScratchInstance.hours(Duration.between(snapshot.created(), now)),
                plan.instanceId(),
                plan.instanceClass(),
                false,
                false,
                plan.subnetGroup(),
                plan.securityGroupIds(),
                "a new master password that RDS keeps in its own secret, deleted with the instance",
                plan.tags());
    }

    // ------------------------------------------------------------------ instance events and the watchdog

    private DrillResult changed(DrillEvent.InstanceChanged c, Deadline budget) {
        log.info("RDS event", "instance", c.instanceId(), "message", c.message());
        Optional<DrillPlatform.Instance> instance = rig.platform().instance(c.instanceId());
        if (instance.isEmpty()) {
            return new DrillResult("event", null, false, "instance gone: nothing to do", List.of());
        }
        return instances.advance(instance.get(), c.at(), "RDS event", budget);
    }

    private DrillResult watch(Deadline budget) {
        Instant now = ledger.now();
        List<DrillLine> lines = new ArrayList<>();
        List<String> live = new ArrayList<>();
        for (DrillPlatform.Instance i : rig.platform().instancesNamed(config.instancePrefix())) {
            live.add(i.id());
            if (instances.isOurs(i)) {
                DrillResult r = instances.advance(i, now, "watchdog", budget);
                lines.add(DrillLine.Said.instance(i.id(), r.outcome()));
            }
        }
        ledger.sweep(now, live).forEach(run -> lines.add(DrillLine.Said.run(run, "reported")));
        metrics.put("DaysSinceDrillPassed", ledger.daysSincePass(now), OpsMetrics.Unit.NONE, Map.of());
        return new DrillResult(
                "watch", null, false, lines.isEmpty() ? "nothing open" : "looked after " + lines.size(), lines);
    }
}
