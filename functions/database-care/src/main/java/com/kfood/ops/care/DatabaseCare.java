package com.kfood.ops.care;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.DbSecret;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import com.kfood.ops.shared.ScheduleTrigger;
import com.kfood.ops.shared.SecretCache;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One care run: next periods' partitions created (never an existing one touched, nothing dropped;
 * tables pg_partman manages are only checked), then the read-only health checks, one metric set
 * and one notification. Every statement is timed, so the report says what each check costs.
 */
final class DatabaseCare implements OpsFunction {
    /** The partition horizon below which inserts are a week from failing. */
    static final double HORIZON_ALARM_DAYS = 7;

    /** Where yesterday's size is read from (the metric this function wrote then). */
    interface SizeHistory {
        OptionalDouble bytesAt(Instant when);
    }

    /** What the run reads and writes besides the database: yesterday's size, and the partitions' archive. */
    record Stores(SizeHistory history, Optional<ArchiveStore> archive) {
        static Stores historyOnly(SizeHistory history) {
            return new Stores(history, Optional.empty());
        }
    }

    record TableOutcome(
            String table,
            String managedBy,
            List<String> created,
            List<String> wouldCreate,
            List<String> failed,
            double daysAhead,
            String defaultPartition,
            List<String> archived,
            List<String> wouldArchive) {}

    record CareResult(
            String ranAt,
            boolean dryRun,
            String database,
            List<TableOutcome> partitions,
            List<Finding> findings,
            Map<String, Long> queryMs,
            CareStats stats,
            boolean notified) {
        CareResult withNotified(boolean sent) {
            return new CareResult(ranAt, dryRun, database, partitions, findings, queryMs, stats, sent);
        }
    }

    /** A statement the run times: its name in the result's queryMs. */
    interface Timed<T> {
        T run() throws SQLException;
    }

    private final CareConfig config;
    private final SecretCache secrets;
    private final SizeHistory history;
    private final Optional<PartitionRetention> retention;
    private final Optional<ArchiveStore> archive;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final ExecutorService alongside = Executors.newSingleThreadExecutor(Futures.daemonThreads("care-history"));

    DatabaseCare(
            CareConfig config,
            SecretCache secrets,
            Stores stores,
            Notifier notifier,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock) {
        this.config = config;
        this.secrets = secrets;
        this.history = stores.history();
        this.retention = stores.archive().map(a -> new PartitionRetention(a, config));
        this.archive = stores.archive();
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {secrets.primingCall(), notifier::prime};
    }

    @Override
    public void restored() {
        secrets.clear();
    }

    @Override
    public Object handle(JsonNode event, Context context) {
        if (PartitionRestore.asked(event)) {
            return restore(PartitionRestore.parse(event, config.tables()));
        }
        ScheduleTrigger trigger = ScheduleTrigger.parse(event, clock);
        boolean dryRun = config.dryRun() || trigger.dryRunRequested();
        // yesterday's size comes from CloudWatch, not the database: asked for while the database works
        Instant dayAgo = clock.instant().minus(Duration.ofDays(1));
        Future<OptionalDouble> yesterday = alongside.submit(() -> history.bytesAt(dayAgo));
        try (Connection c = connect()) {
            return run(c, dryRun, yesterday);
        } catch (SQLException e) {
            throw new IllegalStateException("database unreachable or refused the care role: " + Errors.describe(e), e);
        }
    }

    /** An archived partition back in the database (./ops restore-partition). */
    private PartitionRestore.Restored restore(PartitionRestore.Request r) {
        ArchiveStore store = archive.orElseThrow(() ->
                new InvalidEventException("restore-partition reads the archive in BACKUP_BUCKET, which is not set"));
        try (Connection c = connect()) {
            return restoreWith(c, r);
        } catch (SQLException e) {
            throw new IllegalStateException("restore-partition: " + Errors.describe(e), e);
        }
    }

    PartitionRestore.Restored restoreWith(Connection c, PartitionRestore.Request r) throws SQLException {
        PartitionRestore.Restored done = PartitionRestore.restore(
                c,
                archive.orElseThrow(() -> new InvalidEventException(
                        "restore-partition reads the archive in BACKUP_BUCKET, which is not set")),
                config.zone(),
                r);
        log.info("partition restored", "partition", done.partition(), "into", done.into(), "rows", done.rows());
        return done;
    }

    private Connection connect() throws SQLException {
        try {
            return DbSecret.connect(
                    secrets.get(config.dbSecretArn()),
                    config.dbSslMode(),
                    config.queryTimeoutSeconds(),
                    "kfood-ops-database-care");
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith(DbSecret.AUTH_FAILURE)) {
                throw e;
            }
            secrets.invalidate(config.dbSecretArn()); // rotated since it was cached
            return DbSecret.connect(
                    secrets.get(config.dbSecretArn()),
                    config.dbSslMode(),
                    config.queryTimeoutSeconds(),
                    "kfood-ops-database-care");
        }
    }

    CareResult run(Connection c, boolean dryRun, Future<OptionalDouble> yesterday) throws SQLException {
        Instant now = clock.instant();
        Map<String, Long> queryMs = new LinkedHashMap<>();
        Catalog.useZone(c, config.zone().getId());
        // every configured parent is checked before anything is created: a wrong name changes nothing
        Optional<String> partman = timed(queryMs, "partman", () -> Catalog.partmanSchema(c));
        Map<PartitionSpec, Catalog.Parent> parents = new LinkedHashMap<>();
        for (PartitionSpec spec : config.tables()) {
            parents.put(spec, timed(queryMs, "partitions:" + spec.qualified(), () -> Catalog.parent(c, spec, partman)));
        }
        List<Finding> findings = new ArrayList<>();
        List<TableOutcome> tables = new ArrayList<>();
        for (var e : parents.entrySet()) {
            tables.add(partitions(c, e.getKey(), e.getValue(), now, dryRun, findings, queryMs));
        }
        CareStats stats = new HealthReview(config).review(c, findings, queryMs, yesterday);
        record(tables, findings, stats);
        String database = c.getCatalog();
        CareResult result = new CareResult(now.toString(), dryRun, database, tables, findings, queryMs, stats, false);
        log.info(
                "database care",
                "partitionsCreated",
                tables.stream().mapToInt(t -> t.created().size()).sum(),
                "findings",
                findings.size(),
                "dryRun",
                dryRun);
        return result.withNotified(notifier.send(CareNotice.of(result)));
    }

    private TableOutcome partitions(
            Connection c,
            PartitionSpec spec,
            Catalog.Parent parent,
            Instant now,
            boolean dryRun,
            List<Finding> findings,
            Map<String, Long> queryMs) {
        List<PartitionPlanner.Planned> missing =
                PartitionPlanner.missing(spec, config.zone(), now, parent.partitions());
        List<PartitionPlanner.Range> ranges = new ArrayList<>(parent.partitions());
        List<String> created = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        DefaultPartition.Watch defaults = DefaultPartition.watch(c, spec, parent, config, findings, queryMs);
        PartitionRetention.Outcome retained = retention
                .map(r -> r.runReported(c, spec, parent, now, dryRun, findings, queryMs))
                .orElse(PartitionRetention.Outcome.NONE);
        String managedBy = parent.partmanPremake()
                .map(p -> "pg_partman (premake " + p + ", retention "
                        + (parent.partmanRetention() == null ? "none" : parent.partmanRetention()) + ")")
                .orElse("kfood-ops");
        if (parent.partmanPremake().isEmpty() && !dryRun) {
            for (PartitionPlanner.Planned p : missing) {
                if (!p.nameFits()) {
                    failed.add(p.name() + ": name over " + PartitionPlanner.MAX_NAME_BYTES + " bytes, not created");
                    continue;
                }
                long blocking = defaults.rows().stream()
                        .filter(r -> r.overlaps(p))
                        .mapToLong(DefaultPartition.Rows::count)
                        .sum();
                if (blocking > 0) {
                    // CREATE would fail on them (and scan the DEFAULT under lock to find out): the finding says how to
                    // move them
                    failed.add(
                            p.name() + ": skipped, the DEFAULT partition holds " + blocking + " row(s) of its range");
                    continue;
                }
                try {
                    timed(queryMs, "create:" + p.name(), () -> {
                        Catalog.create(c, spec, parent, p, config.lockTimeoutSeconds(), config.queryTimeoutSeconds());
                        return null;
                    });
                    created.add(p.name());
                    ranges.add(new PartitionPlanner.Range(p.name(), p.from().toInstant(), p.to().toInstant()));
                } catch (SQLException e) {
                    failed.add(p.name() + ": " + Errors.describe(e));
                    findings.add(createFailure(c, spec, p, e));
                }
            }
        }
        double days = Math.round(PartitionPlanner.horizon(now, ranges).toMinutes() / 144.0) / 10.0;
        horizonFindings(spec, parent, managedBy, missing, days, dryRun, findings);
        return new TableOutcome(
                spec.qualified(),
                managedBy,
                created,
                dryRun && parent.partmanPremake().isEmpty()
                        ? missing.stream().map(PartitionPlanner.Planned::name).toList()
                        : List.of(),
                failed,
                days,
                defaults.summary(),
                retained.archived(),
                retained.wouldArchive());
    }

    /** A horizon under a week is ACT; partitions pg_partman has not made yet are WATCH. */
    private static void horizonFindings(
            PartitionSpec spec,
            Catalog.Parent parent,
            String managedBy,
            List<PartitionPlanner.Planned> missing,
            double days,
            boolean dryRun,
            List<Finding> findings) {
        if (days < HORIZON_ALARM_DAYS && !(dryRun && parent.partmanPremake().isEmpty())) {
            findings.add(new Finding(
                    "partitions",
                    Finding.Level.ACT,
                    spec.qualified() + ": partitions reach only " + days
                            + " days ahead"
                            + (parent.partmanPremake().isPresent()
                                    ? " (managed by " + managedBy + ": check run_maintenance)"
                                    : "")
                            + "; inserts after that fail"));
        } else if (parent.partmanPremake().isPresent() && !missing.isEmpty()) {
            findings.add(new Finding(
                    "partitions",
                    Finding.Level.WATCH,
                    spec.qualified() + ": " + managedBy + " has not made "
                            + missing.stream()
                                    .map(PartitionPlanner.Planned::name)
                                    .toList() + " yet"));
        }
    }

    /**
     * Why a partition was not created, as the on-call engineer needs it: a lock the DDL gave up
     * waiting for (and who holds it: tried again next run), rows in the DEFAULT partition that
     * belong to the new range, a name taken, or a missing privilege.
     */
    private Finding createFailure(Connection c, PartitionSpec spec, PartitionPlanner.Planned p, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what = spec.qualified() + ": could not create " + p.name() + ": ";
        return switch (state) {
            case "55P03" ->
                new Finding(
                        "partitions",
                        Finding.Level.WATCH,
                        what + "the table's lock was not granted within " + config.lockTimeoutSeconds()
                                + " s (the application's queries would have queued behind it); held by "
                                + holders(c, spec) + "; tried again next run");
            case "23514" ->
                new Finding(
                        "partitions",
                        Finding.Level.ACT,
                        what + "the DEFAULT partition holds rows of " + p.from().toInstant() + " to "
                                + p.to().toInstant() + ": move them out, then the month can be created");
            case "42P07" ->
                new Finding(
                        "partitions",
                        Finding.Level.ACT,
                        what + "a relation of that name exists but does not cover this range");
            case "42501" ->
                new Finding(
                        "partitions",
                        Finding.Level.ACT,
                        what + Errors.describe(e) + " (the care role needs CREATE on schema " + spec.schema()
                                + " and membership in the table owner's role)");
            default -> new Finding("partitions", Finding.Level.ACT, what + Errors.describe(e));
        };
    }

    private static String holders(Connection c, PartitionSpec spec) {
        try {
            List<String> holders = Catalog.lockHolders(c, spec);
            return holders.isEmpty() ? "a session that has since let go" : String.join("; ", holders);
        } catch (SQLException e) {
            return "unknown (" + Errors.describe(e) + ")";
        }
    }

    private void record(List<TableOutcome> tables, List<Finding> findings, CareStats stats) {
        for (TableOutcome t : tables) {
            metrics.put("PartitionsAheadDays", t.daysAhead(), OpsMetrics.Unit.NONE, Map.of("Table", t.table()));
            metrics.put("PartitionsCreated", t.created().size(), OpsMetrics.Unit.COUNT, Map.of("Table", t.table()));
        }
        tables.stream()
                .mapToDouble(TableOutcome::daysAhead)
                .min()
                .ifPresent(d -> metrics.put("MinPartitionsAheadDays", d, OpsMetrics.Unit.NONE, Map.of()));
        metrics.count("InvalidIndexes", stats.invalidIndexes());
        metrics.count("TablesBehindOnVacuum", stats.tablesBehindOnVacuum());
        metrics.count("LongTransactions", stats.longTransactions() + stats.idleInTransaction());
        metrics.put("XidAgePercent", stats.xidAgePercentOfFreezeMaxAge(), OpsMetrics.Unit.NONE, Map.of());
        metrics.put("ConnectionsUsedPercent", stats.connectionsUsedPercent(), OpsMetrics.Unit.NONE, Map.of());
        metrics.put("DatabaseSizeBytes", stats.sizeBytes(), OpsMetrics.Unit.NONE, Map.of());
        metrics.count("CareFindings", findings.size());
    }

    static <T> T timed(Map<String, Long> queryMs, String name, Timed<T> step) throws SQLException {
        long start = System.nanoTime();
        try {
            return step.run();
        } finally {
            queryMs.put(name, (System.nanoTime() - start) / 1_000_000);
        }
    }
}
