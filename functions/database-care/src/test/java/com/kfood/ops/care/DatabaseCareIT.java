package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoDatabase;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.SecretCache;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The care run on the machine's real PostgreSQL, connected as the care role, not the master user. */
class DatabaseCareIT {
    private static final String DB = "kfood_care_it";

    /** CloudWatch has no size of a day ago: growth reads "not available". */
    private static final Future<OptionalDouble> NO_HISTORY = CompletableFuture.completedFuture(OptionalDouble.empty());

    private final MutableClock clock = new MutableClock(Instant.now());
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final OpsLog log =
            new OpsLog("DatabaseCareFunction", clock, new PrintStream(OutputStream.nullOutputStream()));

    private DatabaseCare care(String... vars) {
        List<String> all = new ArrayList<>(List.of(
                "DB_SECRET_ARN",
                "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:care",
                "PARTITIONED_TABLES",
                "user_interactions:monthly:3"));
        all.addAll(List.of(vars));
        CareConfig config = CareConfig.from(TestOps.env(all.toArray(String[]::new)));
        return new DatabaseCare(
                config,
                new SecretCache(arn -> "{}", clock, Duration.ZERO),
                DatabaseCare.Stores.historyOnly(when -> OptionalDouble.empty()),
                notifier,
                metrics,
                log,
                clock);
    }

    private static Connection as(String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB, p);
    }

    private static List<String> partitions() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = as("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) || ' ' || pg_get_userbyid(c.relowner)"
                                + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                                + " WHERE i.inhparent = 'user_interactions'::regclass ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private String month(int plus) {
        return name(first(ZoneOffset.UTC, plus));
    }

    /** The first day of the test clock's month (in {@code zone}) plus {@code plus} months. */
    private LocalDate first(ZoneId zone, int plus) {
        return LocalDate.ofInstant(clock.instant(), zone).withDayOfMonth(1).plusMonths(plus);
    }

    private static String name(LocalDate m) {
        return "user_interactions_" + m.getYear() + "_" + String.format("%02d", m.getMonthValue());
    }

    @Test
    void nextMonthsPartitionsAreCreatedOnceOwnedByTheTablesOwnerAndNothingElseIsTouched() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        List<String> before = partitions();
        DatabaseCare.CareResult first;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            first = care().run(c, false, NO_HISTORY);
        }
        assertThat(first.partitions().getFirst().created()).containsExactly(month(1), month(2), month(3));
        assertThat(first.partitions().getFirst().daysAhead()).isGreaterThan(85);
        List<String> after = partitions();
        assertThat(after).hasSize(4).containsAll(before);
        assertThat(after).allMatch(p -> p.endsWith(" " + DemoDatabase.OWNER_ROLE));
        assertThat(after).anyMatch(p -> p.startsWith(month(1) + " FOR VALUES FROM ('" + first(ZoneOffset.UTC, 1)));
        assertThat(first.findings()).isEmpty(); // a database with nothing wrong reports nothing wrong
        assertThat(metrics.sum("PartitionsCreated")).isEqualTo(3);

        DatabaseCare.CareResult second;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            second = care().run(c, false, NO_HISTORY);
        }
        assertThat(second.partitions().getFirst().created()).isEmpty();
        assertThat(partitions()).isEqualTo(after);
    }

    @Test
    void inSeoulTheBoundsAreSeoulsMidnightsAndADryRunCreatesNothing() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        DatabaseCare.CareResult dry;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            dry = care("PARTITION_TIME_ZONE", "Asia/Seoul", "DRY_RUN", "true").run(c, true, NO_HISTORY);
        }
        assertThat(dry.partitions().getFirst().wouldCreate()).isNotEmpty();
        assertThat(partitions()).hasSize(1);
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            care("PARTITION_TIME_ZONE", "Asia/Seoul").run(c, false, NO_HISTORY);
        }
        // read back in UTC: Seoul's midnight of the 1st is 15:00 UTC the day before
        LocalDate seoulMonth = first(ZoneId.of("Asia/Seoul"), 2);
        assertThat(partitions())
                .anyMatch(p -> p.startsWith(
                        name(seoulMonth) + " FOR VALUES FROM ('" + seoulMonth.minusDays(1) + " 15:00:00+00')"));
    }

    @Test
    void aTableThatPgPartmanManagesIsOnlyChecked() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        // pg_partman is not installable here: its configuration table stands in for it (docs/operations.md says so)
        try (Connection c = as("postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA partman");
            st.execute("CREATE TABLE partman.part_config (parent_table text PRIMARY KEY, premake int NOT NULL,"
                    + " retention text)");
            st.execute("INSERT INTO partman.part_config VALUES ('public.user_interactions', 4, '12 months')");
            st.execute("GRANT USAGE ON SCHEMA partman TO " + DemoDatabase.CARE_ROLE);
            st.execute("GRANT SELECT ON partman.part_config TO " + DemoDatabase.CARE_ROLE);
        }
        DatabaseCare.CareResult result;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            result = care().run(c, false, NO_HISTORY);
        }
        // pg_partman's own retention is reported, never changed or acted on here
        assertThat(result.partitions().getFirst().managedBy()).isEqualTo("pg_partman (premake 4, retention 12 months)");
        assertThat(result.partitions().getFirst().created()).isEmpty();
        assertThat(partitions()).hasSize(1);
        assertThat(result.findings())
                .anyMatch(f -> f.check().equals("partitions") && f.what().contains("pg_partman"));
    }

    @Test
    void aMissingPrivilegeIsReportedAndNothingIsCreated() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        try (Connection c = as("postgres");
                Statement st = c.createStatement()) {
            st.execute("REVOKE " + DemoDatabase.OWNER_ROLE + " FROM " + DemoDatabase.CARE_ROLE);
        }
        DatabaseCare.CareResult result;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            result = care().run(c, false, NO_HISTORY);
        } finally {
            try (Connection c = as("postgres");
                    Statement st = c.createStatement()) {
                st.execute("GRANT " + DemoDatabase.OWNER_ROLE + " TO " + DemoDatabase.CARE_ROLE);
            }
        }
        assertThat(result.partitions().getFirst().failed()).hasSize(3).allMatch(f -> f.contains("permission denied"));
        assertThat(result.findings())
                .anyMatch(f ->
                        f.level() == Finding.Level.ACT && f.what().contains("membership in the table owner's role"));
        assertThat(partitions()).hasSize(1);
        assertThat(notifier.sent.getFirst().title()).contains("finding");
    }

    @Test
    void theInvalidIndexAndTheDeadRowsAreFound() throws Exception {
        DemoDatabase.recreate(DB, true, clock.instant());
        DatabaseCare.CareResult result;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            result = care().run(c, false, NO_HISTORY);
        }
        assertThat(result.findings())
                .anyMatch(f -> f.check().equals("indexes") && f.what().contains("public.restaurants_region_unique"));
        assertThat(result.findings())
                .anyMatch(f -> f.check().equals("vacuum") && f.what().startsWith("public.menu_views:"));
        assertThat(result.findings()).noneMatch(f -> f.what().contains("public.restaurants:"));
        assertThat(metrics.sum("InvalidIndexes")).isEqualTo(1);
        assertThat(result.queryMs())
                .containsKeys("invalid-indexes", "vacuum", "xid-age", "sessions", "connections", "size");
    }

    @Test
    void anUnknownOrUnpartitionedTableIsAConfigurationErrorBeforeAnythingIsCreated() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            assertThatThrownBy(() -> care("PARTITIONED_TABLES", "user_interactions:monthly:3,ghost:monthly:3")
                            .run(c, false, NO_HISTORY))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("PARTITIONED_TABLES")
                    .hasMessageContaining("public.ghost");
            assertThatThrownBy(() -> care("PARTITIONED_TABLES", "user_interactions:monthly:3,restaurants:monthly:3")
                            .run(c, false, NO_HISTORY))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("not partitioned");
        }
        assertThat(partitions()).hasSize(1);
    }

    /** The whole function over real HTTP: the care role's secret in moto, the schedule's event, one notification. */
    @ExtendWith(MotoExtension.class)
    @Test
    void theHandlerReadsTheSecretFromSecretsManagerAndRunsOnce(Moto moto) throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        moto.seedPlatform();
        String arn = moto.postgresSecret("kfood-ops/care-it", DemoDatabase.CARE_ROLE, "", DB);
        JsonNode result = Invocations.invoke(
                new DatabaseCareHandler(moto.env(Map.of(
                        "DB_SECRET_ARN",
                        arn,
                        "DB_SSLMODE",
                        "disable",
                        "PARTITIONED_TABLES",
                        "user_interactions:monthly:2",
                        "STACK_NAME",
                        "kfood-ops",
                        "NOTIFY_TOPIC_ARN",
                        DemoPlatform.topicArn(DemoPlatform.NOTIFICATIONS_TOPIC)))),
                Invocations.event("events/care/scheduler.json"));
        assertThat(result.at("/partitions/0/created")).hasSize(2);
        assertThat(result.path("notified").asBoolean()).isTrue();
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC).getFirst().subject())
                .contains("Database care");
    }

    @Test
    void aLongReaderMakesTheDdlGiveUpWithinTheLockTimeoutAndNobodyQueuesBehindIt() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection reader = as("postgres");
                Statement open = reader.createStatement()) {
            reader.setAutoCommit(false);
            open.executeQuery("SELECT count(*) FROM user_interactions").close(); // holds ACCESS SHARE until rollback
            Future<DatabaseCare.CareResult> run = pool.submit(() -> {
                try (Connection c = as(DemoDatabase.CARE_ROLE)) {
                    return care("DDL_LOCK_TIMEOUT_SECONDS", "2", "PARTITIONED_TABLES", "user_interactions:monthly:1")
                            .run(c, false, NO_HISTORY);
                }
            });
            Thread.sleep(500); // care's CREATE now waits for the lock; a third session's read comes after it
            Future<Long> third = pool.submit(() -> {
                try (Connection c = as("postgres");
                        Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM user_interactions")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            // without a lock timeout both would wait for the reader, which stays open until the end
            DatabaseCare.CareResult result = run.get(30, TimeUnit.SECONDS);
            assertThat(third.get(30, TimeUnit.SECONDS)).isEqualTo(3000);
            assertThat(result.partitions().getFirst().created()).isEmpty();
            assertThat(result.findings())
                    .anyMatch(f -> f.level() == Finding.Level.WATCH
                            && f.what().contains("lock was not granted within 2 s")
                            && f.what().contains("idle in transaction")
                            && f.what().contains("tried again next run"))
                    .noneMatch(f -> f.what().contains("membership"));
            reader.rollback();
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            assertThat(care("PARTITIONED_TABLES", "user_interactions:monthly:1")
                            .run(c, false, NO_HISTORY)
                            .partitions()
                            .getFirst()
                            .created())
                    .as("the next run creates it")
                    .containsExactly(month(1));
        }
    }

    @Test
    void rowsOfANewMonthInTheDefaultPartitionAreCountedTheMonthSkippedAndTheFindingsStatementsMoveThem()
            throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        LocalDate blocked = first(ZoneOffset.UTC, 2);
        try (Connection c = as("postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE user_interactions_default PARTITION OF user_interactions DEFAULT");
            st.execute("ALTER TABLE user_interactions_default OWNER TO " + DemoDatabase.OWNER_ROLE);
            st.execute("INSERT INTO user_interactions VALUES (9001, 1, 'view', '" + blocked + " 12:00:00+00'),"
                    + " (9002, 1, 'like', '" + blocked.plusDays(3) + " 08:00:00+00')");
        }
        DatabaseCare.CareResult result;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            result = care().run(c, false, NO_HISTORY);
        }
        DatabaseCare.TableOutcome table = result.partitions().getFirst();
        assertThat(table.created()).containsExactly(month(1), month(3));
        assertThat(table.failed())
                .containsExactly(name(blocked) + ": skipped, the DEFAULT partition holds 2 row(s) of its range");
        assertThat(table.defaultPartition()).isEqualTo("user_interactions_default: 2 row(s)");
        Finding finding = result.findings().stream()
                .filter(f -> f.what().contains("DEFAULT partition holds rows"))
                .findFirst()
                .orElseThrow();
        assertThat(finding.level()).isEqualTo(Finding.Level.ACT);
        assertThat(finding.what())
                .startsWith(
                        "2 row(s) of " + blocked.toString().substring(0, 7) + " in public.user_interactions_default: ")
                .contains(name(blocked));
        assertThat(notifier.sent.getFirst().facts().values()).anyMatch(v -> v.contains("ATTACH PARTITION"));

        // the finding's own statements, run as they are written, move the rows: the next run finds DEFAULT empty
        String statements = finding.what().substring(finding.what().indexOf("BEGIN;"));
        try (Connection c = as("postgres");
                Statement st = c.createStatement()) {
            st.execute("SET ROLE " + DemoDatabase.OWNER_ROLE);
            st.execute(statements);
        }
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            result = care().run(c, false, NO_HISTORY);
        }
        assertThat(result.partitions().getFirst().defaultPartition()).isEqualTo("user_interactions_default: empty");
        assertThat(result.findings()).noneMatch(f -> f.check().equals("partitions"));
        assertThat(partitions()).anyMatch(p -> p.startsWith(name(blocked) + " FOR VALUES FROM"));
        try (Connection c = as("postgres");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM " + name(blocked))) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(2);
        }
    }

    @Test
    void aTableWithoutADefaultPartitionIsSaidToBeFine() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            care().run(c, false, NO_HISTORY);
        }
        assertThat(notifier.sent.getFirst().facts().get("Partitions of public.user_interactions"))
                .endsWith("; no DEFAULT partition");
    }

    @Test
    void aZoneChangeOverUtcMonthsLeavesNoDayWithoutAPartition() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant()); // this month's partition, bounded in UTC
        DatabaseCare.CareResult seoul;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            seoul = care("PARTITION_TIME_ZONE", "Asia/Seoul").run(c, false, NO_HISTORY);
        }
        assertThat(seoul.partitions().getFirst().failed()).isEmpty();
        try (Connection c = as("postgres");
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (int day = 0; day < 90; day++) {
                for (int hour : new int[] {0, 9, 15, 23}) {
                    Instant at = clock.instant()
                            .truncatedTo(ChronoUnit.DAYS)
                            .plus(Duration.ofDays(day).plusHours(hour));
                    if (at.isAfter(clock.instant())) {
                        st.execute("INSERT INTO user_interactions VALUES (1, 1, 'view', '" + at + "')");
                    }
                }
            }
            c.rollback();
        }
    }

    @Test
    void anExistingNameIsNeverReportedAsCreated() throws Exception {
        DemoDatabase.recreate(DB, false, clock.instant());
        try (Connection c = as("postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + month(1) + " (id bigint)"); // a plain table with the partition's name
        }
        DatabaseCare.CareResult result;
        try (Connection c = as(DemoDatabase.CARE_ROLE)) {
            result = care().run(c, false, NO_HISTORY);
        }
        assertThat(result.partitions().getFirst().created()).containsExactly(month(2), month(3));
        assertThat(result.partitions().getFirst().failed())
                .singleElement()
                .asString()
                .startsWith(month(1));
        assertThat(result.findings()).anyMatch(f -> f.what().contains("a relation of that name exists"));
    }
}
