package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.emulator.DemoDatabase;
import com.kfood.ops.shared.Deadline;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The validation's edges on the machine's real PostgreSQL: a connection lost, a budget spent, a zone misread. */
class ValidationIT {
    private static final String DATABASE = "kfood_validation_it";
    private static final Instant NOW = Instant.parse("2026-12-05T17:00:00Z");

    @BeforeAll
    static void database() throws SQLException {
        DemoDatabase.recreate(DATABASE, false, NOW);
        try (Connection c = connect("postgres");
                Statement st = c.createStatement()) {
            // a wall-clock column, written in Seoul: 2026-12-06 01:00 there is 2026-12-05 16:00 UTC
            st.execute("CREATE TABLE visits (at timestamp without time zone NOT NULL)");
            st.execute("INSERT INTO visits VALUES ('2026-12-06 01:00:00')");
            st.execute("GRANT SELECT ON visits TO " + DemoDatabase.DRILL_ROLE);
        }
    }

    private static Connection connect(String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, p);
    }

    private static Validation.Outcome validate(Deadline budget, String... vars) throws SQLException {
        return validate(budget, new Validation.RecoveryPoint(NOW.minus(Duration.ofHours(1)), false), vars);
    }

    private static Validation.Outcome validate(Deadline budget, Validation.RecoveryPoint point, String... vars)
            throws SQLException {
        DrillConfig config = DrillConfig.from(DrillConfigTest.env(vars));
        try (Connection c = connect(DemoDatabase.DRILL_ROLE)) {
            return new Validation(config, budget).run(c, point);
        }
    }

    @Test
    void aPointInTimeRestoreHoldsRowsUpToItsTargetAndNoneAfterItWithTheLagInSeconds() throws SQLException {
        // the newest row of user_interactions is NOW (DemoDatabase's rows end at its "now")
        Validation.Outcome held =
                validate(Deadline.unlimited(), new Validation.RecoveryPoint(NOW.plusSeconds(3), true));
        assertThat(held.passed()).isTrue();
        assertThat(held.lagSeconds()).isEqualTo(3L);
        assertThat(held.steps().getLast().name()).isEqualTo("recovery point");
        assertThat(held.steps().getLast().detail())
                .isEqualTo("restored to " + NOW.plusSeconds(3) + ", newest row " + NOW + ", lag 3 s");

        // a row after the target: the restore went past its point
        Validation.Outcome past =
                validate(Deadline.unlimited(), new Validation.RecoveryPoint(NOW.minusSeconds(60), true));
        assertThat(past.passed()).isFalse();
        assertThat(past.firstFailure()).startsWith("recovery point: a row newer than the restore point");

        // rows that stop long before the target: data is missing
        Validation.Outcome stale = validate(
                Deadline.unlimited(),
                new Validation.RecoveryPoint(NOW.plus(Duration.ofHours(2)), true),
                "DRILL_FRESHNESS_TOLERANCE_MINUTES",
                "60");
        assertThat(stale.passed()).isFalse();
        assertThat(stale.firstFailure()).endsWith("lag 7200 s (tolerance 60 min)");
    }

    @Test
    void aLostConnectionFailsTheStepsLeftWithItsReasonAndKeepsThoseDone() throws SQLException {
        Validation.Outcome outcome = validate(
                Deadline.unlimited(),
                "DRILL_CHECKS",
                "[{\"name\":\"restaurants\",\"sql\":\"SELECT count(*) FROM restaurants\",\"min\":1000},"
                        + "{\"name\":\"lost\",\"sql\":\"SELECT count(*) FROM pg_terminate_backend(pg_backend_pid())\",\"min\":0},"
                        + "{\"name\":\"after\",\"sql\":\"SELECT 1\",\"min\":1}]");

        assertThat(outcome.steps())
                .extracting(Validation.Step::name)
                .containsExactly(
                        "connect",
                        "not in recovery",
                        "table restaurants",
                        "table user_interactions",
                        "check restaurants",
                        "check lost",
                        "check after",
                        "freshness");
        assertThat(outcome.steps().subList(0, 5)).allMatch(Validation.Step::passed);
        assertThat(outcome.steps().get(5).passed()).isFalse();
        assertThat(outcome.steps().subList(6, 8))
                .allMatch(s -> !s.passed() && s.detail().startsWith("not run: the connection was lost"));
        assertThat(outcome.firstFailure()).startsWith("check lost: ");
    }

    @Test
    void aSpentBudgetFailsTheStepsLeftInsteadOfOverrunningTheFunction() throws SQLException {
        Duration[] left = {Duration.ofMinutes(1)};
        Deadline budget = () -> left[0];
        Validation.Outcome outcome = validate(
                budget,
                "DRILL_CHECKS",
                "[{\"name\":\"restaurants\",\"sql\":\"SELECT count(*) FROM restaurants\",\"min\":1000}]",
                "DRILL_FRESHNESS",
                "");
        assertThat(outcome.passed()).isTrue();

        left[0] = Duration.ofMillis(400);
        Validation.Outcome spent = validate(budget);
        assertThat(spent.steps())
                .allMatch(s -> !s.passed() && s.detail().equals("not run: the validation budget ran out"));
    }

    @Test
    void aWallClockColumnIsReadInItsZoneAndARowInTheFutureFailsSayingSo() throws SQLException {
        Validation.Outcome seoul =
                validate(Deadline.unlimited(), "DRILL_FRESHNESS", "visits.at", "DRILL_FRESHNESS_ZONE", "Asia/Seoul");
        assertThat(seoul.newestRow()).isEqualTo(Instant.parse("2026-12-05T16:00:00Z"));
        assertThat(seoul.dataLagMinutes()).isZero();
        assertThat(seoul.passed()).isTrue();

        // read as UTC the same row is 9 hours after the snapshot: a misread zone, not a fresh restore
        Validation.Outcome utc = validate(Deadline.unlimited(), "DRILL_FRESHNESS", "visits.at");
        assertThat(utc.passed()).isFalse();
        assertThat(utc.firstFailure()).startsWith("freshness: newest row is in the future: check the column's zone");
    }
}
