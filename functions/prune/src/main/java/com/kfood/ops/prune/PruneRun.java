package com.kfood.ops.prune;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import com.kfood.ops.shared.ScheduleTrigger;
import com.kfood.ops.shared.backup.AutomatedBackups;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.ManagedSnapshot;
import com.kfood.ops.shared.backup.RdsSnapshots;
import com.kfood.ops.shared.backup.RetentionPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
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
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * One prune run: list, judge with the {@link RetentionPolicy}, delete what it allows (bounded
 * concurrency, stopping before the deadline), check every database's backup freshness; the same in
 * the DR region for the copies there (their own retention, the same rules of ownership, their own
 * freshness, {@code DrBackupAgeHours}); then one notification and the metrics.
 */
public final class PruneRun implements OpsFunction {
    /** The disaster-recovery region's side: its snapshots and its RDS. */
    public record DrRegion(String name, SnapshotInventory inventory, RdsSnapshots rds) {}

    private final BackupConfig config;
    private final RetentionPolicy policy;
    private final SnapshotInventory inventory;
    private final RdsSnapshots rds;
    private final Optional<DrRegion> dr;
    private final RetentionPolicy drPolicy;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final Duration maxBackupAge;
    private final Duration margin;
    private final Outlook outlook;
    private final AutomatedBackups automated;
    /** The share of the snapshot quota from which the steady state is warned about. */

    /** Built once: warm invocations reuse its threads (the databases' description, the deletes). */
    private final ExecutorService pool;

    /** The home region: its managed snapshots, and RDS to delete them with. */
    public record Home(SnapshotInventory inventory, RdsSnapshots rds, AutomatedBackups automated) {}

    public PruneRun(
            BackupConfig config,
            Home home,
            Optional<DrRegion> dr,
            Notifier notifier,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock) {
        this.config = config;
        this.policy = new RetentionPolicy(config);
        this.outlook = new Outlook(config, policy);
        this.inventory = home.inventory();
        this.rds = home.rds();
        this.automated = home.automated();
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
            () -> rds.delete("priming"),
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
        Reads reads = read();
        List<ManagedSnapshot> snapshots = reads.snapshots();
        Future<Optional<AccountQuota>> quotaRead = reads.quota();
        Optional<Future<List<ManagedSnapshot>>> drCopies = reads.drCopies();
        List<DBInstance> databases = Futures.join(reads.databases(), "the databases' description");
        Set<String> existing =
                databases.stream().map(DBInstance::dbInstanceIdentifier).collect(Collectors.toSet());
        List<AutomatedBackups.Watch> automatedBackups = automated.judge(
                databases, now, dr.map(side -> AutomatedBackups.Replication.read(side.name(), side.rds())));
        List<RetentionPolicy.Verdict> verdicts = policy.judge(snapshots, now);

        Judged judged = Judged.of(verdicts);
        List<ManagedSnapshot> due = judged.due();
        List<PruneResult.Tiers> tiers = outlook.tiers(verdicts, now);
        PruneResult.QuotaOutlook quota = outlook.quota(verdicts, tiers, quotaRead);

        Tally tally = Tally.empty();
        if (!dryRun) {
            delete(rds, due, deadline, tally);
        }
        PruneResult.DrPrune drPrune = dr.map(
                        side -> drPass(side, drCopies.orElseThrow(), dryRun, deadline, existing, now))
                .orElse(null);
        List<PruneResult.Freshness> freshness = outlook.freshness(snapshots, existing, now, policy, maxBackupAge);
        List<String> wouldDelete =
                dryRun ? due.stream().map(ManagedSnapshot::id).toList() : List.of();
        long allocatedGb = dryRun
                ? due.stream().mapToLong(ManagedSnapshot::allocatedGb).sum()
                : tally.gb().get();

        long stale = count(tally, freshness) + AutomatedBackups.record(automatedBackups, metrics);
        List<String> deletedIds = tally.deleted().stream().sorted().toList();
        List<String> alreadyGone = tally.gone().stream().sorted().toList();
        PruneResult result = new PruneResult(
                now.toString(),
                trigger.source(),
                dryRun,
                tally.remaining().isEmpty(),
                deletedIds,
                wouldDelete,
                alreadyGone,
                allocatedGb,
                judged.kept(),
                judged.keptSnapshots(),
                tiers,
                quota,
                List.copyOf(tally.failures()),
                List.copyOf(tally.remaining()),
                freshness,
                automatedBackups,
                drPrune,
                false);
        logRun(result, stale);
        return result.withNotified(notifier.send(PruneNotice.of(result, maxBackupAge)));
    }

    private void logRun(PruneResult r, long stale) {
        log.info(
                "prune run",
                "deleted",
                r.deleted().size(),
                "wouldDelete",
                r.wouldDelete().size(),
                "failures",
                r.failures().size(),
                "remaining",
                r.remaining().size(),
                "staleBackups",
                stale);
    }

    /** What the run reads, at once: snapshots, and meanwhile the databases, the quota and the DR copies. */
    private record Reads(
            List<ManagedSnapshot> snapshots,
            Future<List<DBInstance>> databases,
            Future<Optional<AccountQuota>> quota,
            Optional<Future<List<ManagedSnapshot>>> drCopies) {}

    private Reads read() {
        // independent reads: the databases are described, the quota read and the DR region's copies
        // listed while the snapshots are listed
        Future<List<DBInstance>> databases = pool.submit(inventory::databases);
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
        return new Reads(snapshots, databases, quotaRead, drCopies);
    }

    /**
     * The verdicts sorted out: what is due (oldest first), and what is kept, counted by reason and
     * named with the tiers that keep it.
     */
    private record Judged(List<ManagedSnapshot> due, Map<String, Integer> kept, Map<String, String> keptSnapshots) {
        static Judged of(List<RetentionPolicy.Verdict> verdicts) {
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
            Map<String, Integer> kept = new LinkedHashMap<>();
            keptCounts.forEach((reason, n) -> kept.put(reason.name() + ": " + reason.description, n));
            due.sort(Comparator.comparing(ManagedSnapshot::created)); // oldest first
            return new Judged(due, kept, keptSnapshots);
        }
    }

    /** The run's metrics: what was pruned, what failed or waits, each backup's age; returns the stale ones. */
    private long count(Tally tally, List<PruneResult.Freshness> freshness) {
        metrics.count("SnapshotsPruned", tally.deleted().size());
        metrics.count("PruneFailures", tally.failures().size());
        metrics.count("SnapshotsDueNotReached", tally.remaining().size());
        long stale = freshness.stream()
                .filter(f -> f.status() != PruneResult.Freshness.Status.FRESH)
                .count();
        metrics.count("StaleBackups", stale);
        freshness.stream()
                .filter(f -> f.ageHours() != null)
                .forEach(f -> metrics.put(
                        "BackupAgeHours", f.ageHours(), OpsMetrics.Unit.NONE, Map.of("DBInstanceIdentifier", f.db())));
        return stale;
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
            Tally tally = Tally.empty();
            if (!dryRun) {
                delete(side.rds(), due, deadline, tally);
            }
            List<String> deleted = tally.deleted();
            List<String> failures = tally.failures();
            List<String> remaining = tally.remaining();
            // a copy follows its snapshot by the copy's time: a day's grace more than at home
            List<PruneResult.Freshness> freshness =
                    outlook.freshness(copies, existing, now, drPolicy, config.drMaxBackupAge());
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

    /** Where each due snapshot ended: deleted, already gone, failed, or not reached before the deadline. */
    private record Tally(
            List<String> deleted, List<String> gone, List<String> failures, List<String> remaining, AtomicLong gb) {
        static Tally empty() {
            return new Tally(shared(), shared(), shared(), shared(), new AtomicLong());
        }

        private static List<String> shared() {
            return Collections.synchronizedList(new ArrayList<>());
        }
    }

    private void delete(RdsSnapshots client, List<ManagedSnapshot> due, Deadline deadline, Tally tally) {
        List<String> remaining = tally.remaining();
        Set<String> reported = ConcurrentHashMap.newKeySet();
        List<Future<?>> futures = new ArrayList<>(due.size());
        try {
            for (ManagedSnapshot s : due) {
                futures.add(pool.submit(() -> {
                    if (deadline.isNear(margin)) {
                        remaining.add(s.id());
                    } else {
                        deleteOne(client, s, tally);
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

    private void deleteOne(RdsSnapshots client, ManagedSnapshot s, Tally tally) {
        try {
            if (client.delete(s.id())) {
                tally.deleted().add(s.id());
                tally.gb().addAndGet(s.allocatedGb());
            } else {
                tally.gone().add(s.id());
                log.info("snapshot already gone", "snapshot", s.id());
            }
        } catch (RuntimeException e) { // AWS errors and anything else unchecked: a failure of this snapshot
            tally.failures().add(s.id() + ": " + Errors.describe(e));
        }
    }
}
