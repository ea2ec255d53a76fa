package com.kfood.ops.drill;

import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.OpsLog;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A drill's start in one mode: for each database, what to restore (the newest snapshot, its copy
 * in the DR region, or its automated backups at a point in time), the run recorded once, and each
 * restore started with the drill's state on the new instance's tags. Nothing waits for RDS.
 */
final class DrillStart {
    private static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * What one database's drill restores: a snapshot ({@code arn} set, {@code point} its creation)
     * or the database's automated backups at {@code point} ({@code arn} null, {@code id} the database).
     */
    record Source(String id, String arn, Instant point) {
        boolean pointInTime() {
            return arn == null;
        }

        DrillPlatform.SourceSnapshot snapshot(String db) {
            return new DrillPlatform.SourceSnapshot(id, arn, db, point);
        }
    }

    /** A database's source, or why there is none (the drill of that database fails with it). */
    private record Pick(Optional<Source> source, String why) {
        static Pick of(Source source) {
            return new Pick(Optional.of(source), null);
        }

        static Pick none(String why) {
            return new Pick(Optional.empty(), why);
        }
    }

    private final DrillConfig config;
    private final DrillLedger ledger;
    private final OpsLog log;

    DrillStart(DrillConfig config, DrillLedger ledger, OpsLog log) {
        this.config = config;
        this.ledger = ledger;
        this.log = log;
    }

    static String runId(Instant scheduledFor, DrillMode mode) {
        return RUN_ID.format(scheduledFor) + mode.suffix();
    }

    RestoreDrill.DrillResult start(
            DrillMode mode, DrillPlatform platform, ScratchInstance instances, DrillEvent.Start s, boolean dryRun) {
        String runId = runId(s.scheduledFor(), mode);
        Instant now = ledger.now();
        Instant expires = now.plus(config.expiresAfter());
        Map<String, Pick> picks = new LinkedHashMap<>();
        for (String db : config.dbInstanceIds()) {
            Optional<String> refused = refusedTarget(platform, db, s.restoreTime());
            if (refused.isPresent()) {
                // a target RDS cannot restore to: said, and nothing started for any database
                log.warn("point-in-time drill refused", "run", runId, "why", refused.get());
                return new RestoreDrill.DrillResult(
                        "start", runId, dryRun, "refused: " + refused.get(), List.of(DrillLine.Said.db(db, "refused")));
            }
            picks.put(db, pick(mode, platform, db, runId, s.restoreTime()));
        }
        if (dryRun) {
            List<DrillLine> lines = new ArrayList<>();
            picks.forEach((db, pick) -> lines.add(pick.source()
                    .<DrillLine>map(src -> line(
                            db, "would restore", plan(mode, db, runId, s.scheduledFor(), src, now, expires), src, now))
                    .orElseGet(() -> DrillLine.Said.db(db, "nothing to restore: " + pick.why()))));
            log.info("restore drill dry run", "run", runId, "mode", mode.id(), "databases", lines.size());
            return new RestoreDrill.DrillResult("start", runId, true, "dry run: nothing restored", lines);
        }
        Map<String, String> names = new LinkedHashMap<>();
        config.dbInstanceIds().forEach(db -> names.put(db, config.instanceId(db, s.scheduledFor(), mode)));
        if (!ledger.open(new DrillRun(runId, now.toString(), expires.toString(), names, null, mode.id()))) {
            log.info("restore drill already started", "run", runId);
            return new RestoreDrill.DrillResult("start", runId, false, "already started: no second restore", List.of());
        }
        List<DrillLine> lines = new ArrayList<>();
        for (var e : picks.entrySet()) {
            String db = e.getKey();
            Pick pick = e.getValue();
            lines.add(pick.source()
                    .map(src -> restore(
                            platform,
                            instances,
                            db,
                            src,
                            plan(mode, db, runId, s.scheduledFor(), src, now, expires),
                            expires,
                            now))
                    .orElseGet(() -> {
                        ledger.finishWithout(runId, db, names.get(db), pick.why());
                        return DrillLine.Said.db(db, "FAIL: " + pick.why());
                    }));
        }
        ledger.complete(runId);
        return new RestoreDrill.DrillResult("start", runId, false, "started", lines);
    }

    /** A target time given by hand that the database's automated backups do not reach. */
    private static Optional<String> refusedTarget(DrillPlatform platform, String db, Optional<Instant> target) {
        if (target.isEmpty()) {
            return Optional.empty();
        }
        Optional<DrillPlatform.RestorableWindow> window = platform.restorableWindow(db);
        if (window.isEmpty()) {
            return Optional.of(db + " keeps no automated backups to restore from");
        }
        if (target.get().isAfter(window.get().latest())) {
            return Optional.of("restoreTime " + target.get() + " is later than " + db + "'s LatestRestorableTime "
                    + window.get().latest() + ": RDS cannot restore there yet");
        }
        if (target.get().isBefore(window.get().earliest())) {
            return Optional.of("restoreTime " + target.get() + " is earlier than " + db + "'s automated backups reach ("
                    + window.get().earliest() + ")");
        }
        return Optional.empty();
    }

    private Pick pick(DrillMode mode, DrillPlatform platform, String db, String runId, Optional<Instant> given) {
        if (mode != DrillMode.POINT_IN_TIME) {
            return platform.newestSnapshot(db)
                    .map(sn -> Pick.of(new Source(sn.id(), sn.arn(), sn.created())))
                    .orElseGet(() -> Pick.none(
                            mode == DrillMode.DR_REGION
                                    ? "no available copy of this stack's snapshots in the DR region"
                                    : "no available snapshot managed by this stack to restore"));
        }
        Optional<DrillPlatform.RestorableWindow> window = platform.restorableWindow(db);
        if (window.isEmpty()) {
            return Pick.none("no automated backups to restore from (no such database, or BackupRetentionPeriod 0)");
        }
        return Pick.of(new Source(db, null, given.orElseGet(() -> randomTarget(window.get(), runId + "/" + db))));
    }

    /**
     * A time within the last {@code DRILL_PITR_WINDOW_HOURS} the backups reach, to the second. The
     * same run and database always draw the same time: a redelivered start plans what the first did.
     */
    private Instant randomTarget(DrillPlatform.RestorableWindow window, String seed) {
        Instant from = window.latest().minus(config.modes().pitrWindow());
        if (from.isBefore(window.earliest())) {
            from = window.earliest();
        }
        long span = Math.max(1, Duration.between(from, window.latest()).toSeconds());
        long offset = new SplittableRandom(seed.hashCode()).nextLong(span);
        return from.plusSeconds(offset).truncatedTo(ChronoUnit.SECONDS);
    }

    /** Starts one database's restore, a snapshot protected first; a refusal ends its drill at once. */
    private DrillLine restore(
            DrillPlatform platform,
            ScratchInstance instances,
            String db,
            Source source,
            DrillPlatform.RestorePlan plan,
            Instant expires,
            Instant now) {
        String runId = plan.tags().get(ScratchInstance.TAG_RUN);
        try {
            if (!source.pointInTime()) {
                // protected first: the prune must not take the snapshot while RDS reads it
                platform.protect(source.snapshot(db), expires);
            }
            platform.restore(plan);
            log.info("restore started", "run", runId, "instance", plan.instanceId(), "source", source.id());
            return line(db, "restoring", plan, source, now);
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
            if (!source.pointInTime()) {
                instances.release(source.arn());
            }
            ledger.finishWithout(runId, db, plan.instanceId(), why);
            return DrillLine.Said.db(db, "FAIL: " + why);
        }
    }

    private DrillPlatform.RestorePlan plan(
            DrillMode mode, String db, String runId, Instant day, Source source, Instant now, Instant expires) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ScratchInstance.TAG_MANAGED_BY, config.managedBy());
        tags.put(ScratchInstance.TAG_RUN, runId);
        tags.put(ScratchInstance.TAG_EXPIRES, expires.toString());
        tags.put(ScratchInstance.TAG_DB, db);
        tags.put(ScratchInstance.TAG_SOURCE, source.id());
        tags.put(
                source.pointInTime() ? ScratchInstance.TAG_RESTORE_TO : ScratchInstance.TAG_SNAPSHOT_CREATED,
                source.point().toString());
        tags.put(ScratchInstance.TAG_RESTORE_STARTED, now.toString());
        tags.put(ScratchInstance.TAG_PHASE, "restoring");
        tags.put(ScratchInstance.TAG_MODE, mode.id());
        boolean dr = mode == DrillMode.DR_REGION;
        DrillConfig.DrSite site = config.modes().drSite().orElse(null);
        return new DrillPlatform.RestorePlan(
                config.instanceId(db, day, mode),
                source.id(),
                source.pointInTime() ? source.point() : null,
                config.instanceClass(),
                dr ? site.subnetGroup() : config.subnetGroup(),
                dr ? site.securityGroupIds() : config.securityGroupIds(),
                tags);
    }

    private static DrillLine line(
            String db, String outcome, DrillPlatform.RestorePlan plan, Source source, Instant now) {
        return new DrillLine.Planned(
                db,
                outcome,
                source.pointInTime() ? null : source.id(),
                source.pointInTime() ? null : ScratchInstance.hours(Duration.between(source.point(), now)),
                source.pointInTime() ? source.id() : null,
                source.pointInTime() ? source.point().toString() : null,
                plan.instanceId(),
                plan.instanceClass(),
                false,
                false,
                plan.subnetGroup(),
                plan.securityGroupIds(),
                "a new master password that RDS keeps in its own secret, deleted with the instance",
                plan.tags());
    }
}
