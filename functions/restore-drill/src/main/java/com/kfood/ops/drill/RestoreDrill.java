package com.kfood.ops.drill;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The restore drill. A start restores, per mode ({@link DrillMode}), each database's newest managed
 * snapshot, its automated backups to a point in time, or its newest copy in the DR region into a
 * scratch instance ({@link DrillStart}) and returns; RDS's events for that instance (and the
 * watchdog's schedule, should an event be lost, or for the DR region, whose events never come here)
 * bring the drill back when the instance is available, to validate it and delete it. The drill's state lives on the instance's tags and, for what outlives
 * the instance, in the state bucket ({@link DrillStore}); no invocation waits for RDS.
 */
final class RestoreDrill implements OpsFunction {
    /** Left of Lambda's time after the validations: the teardown and the report need it. */
    private static final Duration VALIDATION_MARGIN = Duration.ofSeconds(30);

    /** Opens the connection to a restored instance ({@code host}, {@code port}, {@code dbname}, credentials). */
    @FunctionalInterface
    interface Connector {
        Connection connect(JsonNode target) throws SQLException;
    }

    /**
     * What the drill works with: RDS and Secrets Manager (home, and the DR region's for a DR drill),
     * the state bucket, the database driver.
     */
    record Rig(DrillPlatform platform, DrillStore store, Connector connector, Optional<DrillPlatform> dr) {
        Rig(DrillPlatform platform, DrillStore store, Connector connector) {
            this(platform, store, connector, Optional.empty());
        }
    }

    /** What one invocation did; {@code databases} has a line per database, instance or run it touched. */
    record DrillResult(String action, String runId, boolean dryRun, String outcome, List<DrillLine> databases) {}

    private final DrillConfig config;
    private final Rig rig;
    private final DrillLedger ledger;
    private final ScratchInstance instances;
    private final Optional<ScratchInstance> drInstances;
    private final DrillStart starter;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;

    RestoreDrill(DrillConfig config, Rig rig, Notifier notifier, OpsMetrics metrics, OpsLog log, Clock clock) {
        this.config = config;
        this.rig = rig;
        this.ledger = new DrillLedger(rig.store(), new DrillNotice(config), notifier, metrics, log, clock);
        this.instances = new ScratchInstance(config, rig.platform(), rig.connector(), ledger, log);
        this.drInstances = rig.dr()
                .filter(p -> config.modes().drSite().isPresent())
                .map(p -> new ScratchInstance(config, p, rig.connector(), ledger, log));
        this.starter = new DrillStart(config, ledger, log);
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(rig.platform().primingCalls()));
        rig.dr().ifPresent(p -> calls.addAll(List.of(p.primingCalls())));
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
        List<DrillMode> modes = s.mode().map(List::of).orElse(config.modes().monthly());
        List<DrillResult> results = new ArrayList<>();
        for (DrillMode mode : modes) {
            if (mode == DrillMode.DR_REGION && drInstances.isEmpty()) {
                results.add(new DrillResult(
                        "start",
                        DrillStart.runId(s.scheduledFor(), mode),
                        dryRun,
                        "refused: no DR drill here (DR_REGION and DRILL_DR_SUBNET_GROUP are not both set)",
                        List.of()));
                continue;
            }
            DrillPlatform platform = mode == DrillMode.DR_REGION ? rig.dr().orElseThrow() : rig.platform();
            ScratchInstance scratch = mode == DrillMode.DR_REGION ? drInstances.orElseThrow() : instances;
            results.add(starter.start(mode, platform, scratch, s, dryRun));
        }
        if (results.size() == 1) {
            return results.get(0);
        }
        // several modes at once: one line per mode's run, each with its own record and report
        List<DrillLine> lines = new ArrayList<>();
        results.forEach(r -> {
            lines.add(DrillLine.Said.run(r.runId(), r.outcome()));
            lines.addAll(r.databases());
        });
        return new DrillResult(
                "start",
                String.join(",", results.stream().map(DrillResult::runId).toList()),
                dryRun,
                String.join("; ", results.stream().map(DrillResult::outcome).toList()),
                lines);
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
        look(rig.platform(), instances, now, budget, live, lines);
        // RDS's events in the DR region never reach this region's bus: the watchdog moves DR drills on
        drInstances.ifPresent(dr -> look(rig.dr().orElseThrow(), dr, now, budget, live, lines));
        ledger.sweep(now, live).forEach(run -> lines.add(DrillLine.Said.run(run, "reported")));
        metrics.put(
                "DaysSinceDrillPassed", ledger.daysSincePass(now, DrillMode.SNAPSHOT), OpsMetrics.Unit.NONE, Map.of());
        for (DrillMode mode : List.of(DrillMode.POINT_IN_TIME, DrillMode.DR_REGION)) {
            if (config.modes().monthly().contains(mode) || (mode == DrillMode.DR_REGION && drInstances.isPresent())) {
                metrics.put(
                        "DaysSinceDrillPassed",
                        ledger.daysSincePass(now, mode),
                        OpsMetrics.Unit.NONE,
                        Map.of("Mode", mode.id()));
            }
        }
        return new DrillResult(
                "watch", null, false, lines.isEmpty() ? "nothing open" : "looked after " + lines.size(), lines);
    }

    private void look(
            DrillPlatform platform,
            ScratchInstance scratch,
            Instant now,
            Deadline budget,
            List<String> live,
            List<DrillLine> lines) {
        for (DrillPlatform.Instance i : platform.instancesNamed(config.instancePrefix())) {
            live.add(i.id());
            if (scratch.isOurs(i)) {
                DrillResult r = scratch.advance(i, now, "watchdog", budget);
                lines.add(DrillLine.Said.instance(i.id(), r.outcome()));
            }
        }
    }
}
