package com.kfood.ops.prune;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import com.kfood.ops.shared.ScheduleTrigger;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.ManagedSnapshot;
import com.kfood.ops.shared.backup.RetentionPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;

/**
 * One prune run: list, judge with the {@link RetentionPolicy}, delete what it allows (bounded
 * concurrency, stopping before the deadline), check every database's backup freshness; the same in
 * the DR region for the copies there (their own retention, the same rules of ownership, their own
 * freshness, {@code DrBackupAgeHours}); then one notification and the metrics.
 */
public final class PruneRun implements OpsFunction {
    /** The disaster-recovery region's side: its snapshots and its RDS. */
    public record DrRegion(String name, SnapshotInventory inventory, RdsClient rds) {}

    private final BackupConfig config;
    private final RetentionPolicy policy;
    private final SnapshotInventory inventory;
    private final RdsClient rds;
    private final Optional<DrRegion> dr;
    private final RetentionPolicy drPolicy;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final Duration maxBackupAge;
    private final Duration margin;
    /** The share of the snapshot quota from which the steady state is warned about. */
    private static final double QUOTA_WARN_AT = 0.8;

    /** Built once: warm invocations reuse its threads (the databases' description, the deletes). */
    private final ExecutorService pool;

    public PruneRun(
            BackupConfig config,
            SnapshotInventory inventory,
            RdsClient rds,
            Optional<DrRegion> dr,
            Notifier notifier,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock) {
        this.config = config;
        this.policy = new RetentionPolicy(config);
        this.inventory = inventory;
        this.rds = rds;
        this.dr = dr;
        this.drPolicy = RetentionPolicy.forDr(config);
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
        this.maxBackupAge = config.maxBackupAge();
        this.margin = config.deadlineMargin();
        this.pool = Executors.newFixedThreadPool(config.pruneConcurrency(), Futures.daemonThreads("prune-rds"));
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            inventory::existingDatabases,
            inventory::manualSnapshots,
            inventory::manualSnapshotQuota,
            () -> rds.deleteDBSnapshot(b -> b.dbSnapshotIdentifier("priming")),
            notifier::prime,
        };
    }

    /** The schedule's event (or a manual one) to a run that stops before Lambda's deadline. */
    @Override
    public PruneResult handle(JsonNode event, Context context) {
        return run(ScheduleTrigger.parse(event, clock), context == null ? Deadline.unlimited() : Deadline.of(context));
    }

    public PruneResult run(ScheduleTrigger trigger, Deadline deadline) {
        boolean dryRun = config.dryRun() || trigger.dryRunRequested();
        Instant now = clock.instant();
        // independent reads: the databases are described, the quota read and the DR region's copies
        // listed while the snapshots are listed
        Future<Set<String>> databases = pool.submit(inventory::existingDatabases);
        Future<Optional<AccountQuota>> quotaRead = pool.submit(inventory::manualSnapshotQuota);
        Optional<Future<List<ManagedSnapshot>>> drCopies =
                dr.map(side -> pool.submit(side.inventory()::manualSnapshots));
        List<ManagedSnapshot> snapshots;
        try {
            snapshots = inventory.manualSnapshots();
        } catch (RuntimeException e) {
            databases.cancel(true); // reads: nothing to finish
            quotaRead.cancel(true);
            drCopies.ifPresent(f -> f.cancel(true));
            throw e;
        }
        Set<String> existing = Futures.join(databases, "the databases' description");
        List<RetentionPolicy.Verdict> verdicts = policy.judge(snapshots, now);

        Map<String, Integer> kept = new LinkedHashMap<>();
        Map<RetentionPolicy.Reason, Integer> keptCounts = new EnumMap<>(RetentionPolicy.Reason.class);
        Map<String, String> keptSnapshots = new TreeMap<>();
        List<ManagedSnapshot> due = new ArrayList<>();
        for (RetentionPolicy.Verdict v : verdicts) {
            if (v.delete()) {
                due.add(v.snapshot());
            } else {
                keptCounts.merge(v.reason(), 1, Integer::sum);
                if (!v.keptBy().isEmpty()) {
                    keptSnapshots.put(v.snapshot().id(), String.join(", ", v.keptBy()));
                }
            }
        }
        List<PruneResult.Tiers> tiers = tiers(verdicts, now);
        PruneResult.QuotaOutlook quota = quota(verdicts, tiers, quotaRead);
        keptCounts.forEach((reason, n) -> kept.put(reason.name() + ": " + reason.description, n));
        due.sort(Comparator.comparing(ManagedSnapshot::created)); // oldest first

        List<String> deleted = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> remaining = Collections.synchronizedList(new ArrayList<>());
        List<String> gone = Collections.synchronizedList(new ArrayList<>());
        AtomicLong gb = new AtomicLong();
        if (!dryRun) {
            delete(rds, due, deadline, deleted, gone, failures, remaining, gb);
        }
        PruneResult.DrPrune drPrune = dr.map(
                        side -> drPass(side, drCopies.orElseThrow(), dryRun, deadline, existing, now))
                .orElse(null);
        List<PruneResult.Freshness> freshness = freshness(snapshots, existing, now, policy, maxBackupAge);
        List<String> wouldDelete =
                dryRun ? due.stream().map(ManagedSnapshot::id).toList() : List.of();
        long allocatedGb =
                dryRun ? due.stream().mapToLong(ManagedSnapshot::allocatedGb).sum() : gb.get();

        metrics.count("SnapshotsPruned", deleted.size());
        metrics.count("PruneFailures", failures.size());
        metrics.count("SnapshotsDueNotReached", remaining.size());
        long stale = freshness.stream()
                .filter(f -> f.status() != PruneResult.Freshness.Status.FRESH)
                .count();
        metrics.count("StaleBackups", stale);
        freshness.stream()
                .filter(f -> f.ageHours() != null)
                .forEach(f -> metrics.put(
                        "BackupAgeHours", f.ageHours(), OpsMetrics.Unit.NONE, Map.of("DBInstanceIdentifier", f.db())));

        List<String> deletedIds = deleted.stream().sorted().toList();
        List<String> alreadyGone = gone.stream().sorted().toList();
        PruneResult result = new PruneResult(
                now.toString(),
                trigger.source(),
                dryRun,
                remaining.isEmpty(),
                deletedIds,
                wouldDelete,
                alreadyGone,
                allocatedGb,
                kept,
                keptSnapshots,
                tiers,
                quota,
                List.copyOf(failures),
                List.copyOf(remaining),
                freshness,
                drPrune,
                false);
        log.info(
                "prune run",
                "deleted",
                deletedIds.size(),
                "wouldDelete",
                wouldDelete.size(),
                "failures",
                failures.size(),
                "remaining",
                remaining.size(),
                "staleBackups",
                stale);
        return result.withNotified(notifier.send(notification(result)));
    }

    /** The DR region's copies judged and pruned as the home region's, and their freshness. */
    private PruneResult.DrPrune drPass(
            DrRegion side,
            Future<List<ManagedSnapshot>> listed,
            boolean dryRun,
            Deadline deadline,
            Set<String> existing,
            Instant now) {
        try {
            List<ManagedSnapshot> copies = Futures.join(listed, "the DR region's copies");
            List<ManagedSnapshot> due = drPolicy.judge(copies, now).stream()
                    .filter(RetentionPolicy.Verdict::delete)
                    .map(RetentionPolicy.Verdict::snapshot)
                    .sorted(Comparator.comparing(ManagedSnapshot::created))
                    .toList();
            List<String> deleted = Collections.synchronizedList(new ArrayList<>());
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            List<String> remaining = Collections.synchronizedList(new ArrayList<>());
            List<String> gone = Collections.synchronizedList(new ArrayList<>());
            if (!dryRun) {
                delete(side.rds(), due, deadline, deleted, gone, failures, remaining, new AtomicLong());
            }
            // a copy follows its snapshot by the copy's time: a day's grace more than at home
            List<PruneResult.Freshness> freshness = freshness(copies, existing, now, drPolicy, config.drMaxBackupAge());
            freshness.stream()
                    .filter(f -> f.ageHours() != null)
                    .forEach(f -> metrics.put(
                            "DrBackupAgeHours",
                            f.ageHours(),
                            OpsMetrics.Unit.NONE,
                            Map.of("DBInstanceIdentifier", f.db())));
            metrics.count("DrSnapshotsPruned", deleted.size());
            metrics.count(
                    "StaleDrBackups",
                    freshness.stream()
                            .filter(f -> f.status() != PruneResult.Freshness.Status.FRESH)
                            .count());
            return new PruneResult.DrPrune(
                    side.name(),
                    deleted.stream().sorted().toList(),
                    dryRun ? due.stream().map(ManagedSnapshot::id).toList() : List.of(),
                    List.copyOf(failures),
                    List.copyOf(remaining),
                    freshness);
        } catch (SdkException e) {
            return new PruneResult.DrPrune(
                    side.name(),
                    List.of(),
                    List.of(),
                    List.of("the DR region: " + Errors.describe(e)),
                    List.of(),
                    List.of());
        }
    }

    private void delete(
            RdsClient client,
            List<ManagedSnapshot> due,
            Deadline deadline,
            List<String> deleted,
            List<String> gone,
            List<String> failures,
            List<String> remaining,
            AtomicLong gb) {
        Set<String> reported = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures = new ArrayList<>(due.size());
        try {
            for (ManagedSnapshot s : due) {
                futures.add(pool.submit(() -> {
                    if (deadline.isNear(margin)) {
                        remaining.add(s.id());
                    } else {
                        deleteOne(client, s, deleted, gone, failures, gb);
                    }
                    reported.add(s.id());
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (
                        ExecutionException e) { // a task that died outside its own handling (an Error): accounted below
                    log.error("delete task died", "error", Errors.describe(e.getCause()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            futures.forEach(f -> f.cancel(true)); // only what an interrupted run left behind
        }
        // every due snapshot ends in exactly one list: one whose task never reported was not reached
        // (or its outcome is unknown); the next run finds it again, or finds it already gone
        for (ManagedSnapshot s : due) {
            if (!reported.contains(s.id())) {
                remaining.add(s.id());
            }
        }
    }

    private void deleteOne(
            RdsClient client,
            ManagedSnapshot s,
            List<String> deleted,
            List<String> gone,
            List<String> failures,
            AtomicLong gb) {
        try {
            client.deleteDBSnapshot(b -> b.dbSnapshotIdentifier(s.id()));
            deleted.add(s.id());
            gb.addAndGet(s.allocatedGb());
        } catch (DbSnapshotNotFoundException e) {
            gone.add(s.id());
            log.info("snapshot already gone", "snapshot", s.id());
        } catch (RuntimeException e) { // AWS errors and anything else unchecked: a failure of this snapshot
            failures.add(s.id() + ": " + Errors.describe(e));
        }
    }

    /** Per database: ours kept by each tier now, and the steady state the tiers lead to. */
    private List<PruneResult.Tiers> tiers(List<RetentionPolicy.Verdict> verdicts, Instant now) {
        int steady = policy.steadyState(now);
        List<PruneResult.Tiers> out = new ArrayList<>();
        for (String db : config.dbInstanceIds()) {
            Map<String, Integer> by = new HashMap<>();
            int keptNow = 0;
            for (RetentionPolicy.Verdict v : verdicts) {
                if (v.snapshot().db().equals(db) && !v.delete() && !v.keptBy().isEmpty()) {
                    keptNow++;
                    v.keptBy().forEach(t -> by.merge(t, 1, Integer::sum));
                }
            }
            out.add(new PruneResult.Tiers(
                    db,
                    by.getOrDefault("daily", 0),
                    by.getOrDefault("weekly", 0),
                    by.getOrDefault("monthly", 0),
                    by.getOrDefault("floor", 0),
                    keptNow,
                    steady));
        }
        return out;
    }

    /**
     * The region's manual snapshots once the tiers are full: what is not ours stays as it is now (a
     * person's, another stack's, copies), ours become each database's steady state. Warned from 80 %
     * of the quota, before a snapshot fails.
     */
    private PruneResult.QuotaOutlook quota(
            List<RetentionPolicy.Verdict> verdicts,
            List<PruneResult.Tiers> tiers,
            Future<Optional<AccountQuota>> quotaRead) {
        try {
            var read = Futures.join(quotaRead, "the snapshot quota");
            if (read.isEmpty()) {
                return new PruneResult.QuotaOutlook(
                        PruneResult.QuotaOutlook.Status.UNKNOWN,
                        null,
                        null,
                        null,
                        "RDS reported no ManualSnapshots quota");
            }
            long used = read.get().used();
            long max = read.get().max();
            long ours =
                    verdicts.stream().filter(v -> policy.isOurs(v.snapshot())).count();
            long steady = Math.max(0, used - ours)
                    + tiers.stream().mapToLong(PruneResult.Tiers::steadyState).sum();
            boolean warn = max == 0 || steady >= QUOTA_WARN_AT * max;
            return new PruneResult.QuotaOutlook(
                    warn ? PruneResult.QuotaOutlook.Status.WARNING : PruneResult.QuotaOutlook.Status.OK,
                    used,
                    max,
                    steady,
                    String.format(
                            "%d of %d manual snapshots now; %d once the tiers are full (%.0f%%)%s",
                            used,
                            max,
                            steady,
                            max == 0 ? 100.0 : 100.0 * steady / max,
                            warn ? ": shorten a tier or raise the quota before a snapshot fails" : ""));
        } catch (SdkException e) {
            return new PruneResult.QuotaOutlook(
                    PruneResult.QuotaOutlook.Status.UNKNOWN, null, null, null, "quota unknown: " + Errors.describe(e));
        }
    }

    private List<PruneResult.Freshness> freshness(
            List<ManagedSnapshot> snapshots,
            Set<String> existing,
            Instant now,
            RetentionPolicy judge,
            Duration maxAge) {
        List<PruneResult.Freshness> out = new ArrayList<>();
        for (String db : config.dbInstanceIds()) {
            if (!existing.contains(db)) {
                out.add(new PruneResult.Freshness(db, PruneResult.Freshness.Status.DATABASE_NOT_FOUND, null, null));
                continue;
            }
            var newest = snapshots.stream()
                    .filter(s -> s.db().equals(db)
                            && "available".equals(s.status())
                            && judge.isOurs(s)
                            && s.created() != null)
                    .max(Comparator.comparing(ManagedSnapshot::created));
            if (newest.isEmpty()) {
                out.add(new PruneResult.Freshness(db, PruneResult.Freshness.Status.MISSING, null, null));
                continue;
            }
            Duration age = Duration.between(newest.get().created(), now);
            double hours = Math.round(age.toMinutes() / 6.0) / 10.0;
            out.add(new PruneResult.Freshness(
                    db,
                    age.compareTo(maxAge) > 0 ? PruneResult.Freshness.Status.STALE : PruneResult.Freshness.Status.FRESH,
                    newest.get().id(),
                    hours));
        }
        return out;
    }

    private Notification notification(PruneResult r) {
        boolean quotaWarning = r.quota().status() == PruneResult.QuotaOutlook.Status.WARNING;
        boolean stale = r.freshness().stream().anyMatch(f -> f.status() != PruneResult.Freshness.Status.FRESH);
        // the DR region's copies count as much as home's: a pass that failed or copies gone stale are loud too
        boolean drTrouble = r.dr() != null
                && (!r.dr().failures().isEmpty()
                        || r.dr().freshness().stream().anyMatch(f -> f.status() != PruneResult.Freshness.Status.FRESH));
        Severity severity = !r.failures().isEmpty() || stale || drTrouble
                ? Severity.CRITICAL
                : !r.complete() || quotaWarning ? Severity.WARNING : r.dryRun() ? Severity.INFO : Severity.SUCCESS;
        String title = r.dryRun()
                ? "Dry run: prune would delete " + r.wouldDelete().size() + " snapshot(s)"
                : "Prune deleted " + r.deleted().size() + " snapshot(s)"
                        + (r.failures().isEmpty() ? "" : ", " + r.failures().size() + " failed");
        if (stale) {
            title += "; backups not fresh";
        }
        if (drTrouble) {
            title += "; DR copies not fresh or not pruned";
        }
        var n = Notification.builder(severity, "backup.prune", title)
                .summary(r.dryRun() ? "Dry run: nothing was deleted." : "")
                .thread("backup-" + r.ranAt().substring(0, 10));
        List<String> listed = r.dryRun() ? r.wouldDelete() : r.deleted();
        n.fact(
                r.dryRun() ? "Would delete" : "Deleted",
                listed.isEmpty()
                        ? "none"
                        : String.join(", ", listed.subList(0, Math.min(listed.size(), 20)))
                                + (listed.size() > 20 ? " and " + (listed.size() - 20) + " more" : ""));
        n.fact("Allocated storage of those snapshots", r.allocatedGbOfDeleted() + " GB");
        r.keptByReason().forEach((reason, count) -> n.fact("Kept (" + reason + ")", count));
        for (PruneResult.Tiers t : r.tiers()) {
            n.fact(
                    "Tiers of " + t.db(),
                    t.kept() + " kept: " + t.daily() + " daily, " + t.weekly() + " weekly, " + t.monthly()
                            + " monthly (one may count in several), " + t.floor() + " by the floor; "
                            + t.steadyState() + " once the tiers are full");
        }
        n.fact("Snapshot quota", r.quota().message());
        if (r.dr() != null) {
            PruneResult.DrPrune d = r.dr();
            n.fact(
                    "DR region " + d.region(),
                    (r.dryRun()
                                    ? d.wouldDelete().size() + " would be deleted"
                                    : d.deleted().size() + " deleted")
                            + (d.failures().isEmpty() ? "" : ", " + d.failures().size() + " failed"));
            d.freshness().forEach(f -> n.fact("DR copy of " + f.db(), f.describe()));
            d.failures().stream().limit(3).forEach(f -> n.fact("DR failure", f));
        }
        if (r.quota().status() == PruneResult.QuotaOutlook.Status.WARNING) {
            n.nextStep("RDS allows " + r.quota().max() + " manual snapshots per region (drills and copies count"
                    + " too): shorten WeeklyRetentionWeeks or MonthlyRetentionMonths, or ask for a higher quota.");
        }
        r.freshness().forEach(f -> n.fact("Backup of " + f.db(), f.describe()));
        r.failures().stream().limit(5).forEach(f -> n.fact("Failure", f));
        if (!r.alreadyGone().isEmpty()) {
            n.fact("Already gone", r.alreadyGone().size() + " snapshot(s) RDS no longer had when deleted");
        }
        if (!r.remaining().isEmpty()) {
            n.fact("Not reached before the deadline", r.remaining().size() + " snapshot(s); the next run continues");
        }
        if (stale) {
            n.nextStep("A database has no managed snapshot younger than " + maxBackupAge.toHours()
                    + " h: check SnapshotFunction's last run and its failed-events queue.");
        }
        return n.build();
    }
}
