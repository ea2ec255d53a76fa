package com.kfood.ops.drill;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a restored database must show, over a real connection, read-only: it answers, it is not in
 * recovery, the expected tables exist, each configured check is in range, and its newest row is
 * about as new as the snapshot. Every step is recorded; the first failure does not hide the rest.
 * Each step has its own timeout, all of them inside the invocation's validation budget; once the
 * connection is lost, the steps left fail with that reason and those already done stay recorded.
 */
final class Validation {
    /** One step's outcome; {@code value} is the number a check read, if any. */
    record Step(String name, boolean passed, String detail, Double value) {}

    /**
     * The time the restore should hold data up to: a snapshot's creation, or the point in time a
     * restore was asked for ({@code pointInTime}), where no row may be newer.
     */
    record RecoveryPoint(Instant at, boolean pointInTime) {}

    /**
     * @param dataLagMinutes the recovery point minus the newest row's time (null without a freshness check)
     * @param lagSeconds the same in seconds, for a point-in-time restore
     */
    record Outcome(List<Step> steps, Instant newestRow, Long dataLagMinutes, Long lagSeconds) {
        boolean passed() {
            return !steps.isEmpty() && steps.stream().allMatch(Step::passed);
        }

        String firstFailure() {
            return steps.stream()
                    .filter(s -> !s.passed())
                    .map(s -> s.name() + ": " + s.detail())
                    .findFirst()
                    .orElse(null);
        }
    }

    /** One step's query, given its timeout in seconds. */
    @FunctionalInterface
    private interface Query {
        Step run(int timeoutSeconds) throws SQLException;
    }

    private final DrillConfig config;
    private final Deadline budget;
    private final List<Step> steps = new ArrayList<>();
    private String lost;
    private Instant newest;
    private Long lag;
    private Long lagSeconds;

    Validation(DrillConfig config, Deadline budget) {
        this.config = config;
        this.budget = budget;
    }

    Outcome run(Connection c, RecoveryPoint point) {
        try {
            c.setAutoCommit(false);
            c.setReadOnly(true); // every statement below runs in a READ ONLY transaction
        } catch (SQLException e) {
            lost = Errors.describe(e);
        }
        step(c, "connect", t -> one(c, t, "SELECT 1", "connect", rs -> rs.getInt(1) == 1, "SELECT 1"));
        step(c, "not in recovery", t -> recovery(c, t));
        for (String table : config.tables()) {
            step(c, "table " + table, t -> tableExists(c, t, table));
        }
        for (DrillCheck check : config.checks()) {
            step(c, "check " + check.name(), t -> check(c, t, check));
        }
        config.freshness()
                .ifPresent(f -> step(
                        c,
                        point.pointInTime() ? "recovery point" : "freshness",
                        t -> point.pointInTime()
                                ? recoveryPoint(c, t, f, point.at())
                                : freshness(c, t, f, point.at())));
        return new Outcome(List.copyOf(steps), newest, lag, lagSeconds);
    }

    /** Runs one step inside the budget; a lost connection fails this step and every one after it. */
    private void step(Connection c, String name, Query query) {
        if (lost != null) {
            steps.add(new Step(name, false, "not run: the connection was lost (" + lost + ")", null));
            return;
        }
        long left = budget.remaining().toSeconds();
        if (left < 1) {
            steps.add(new Step(name, false, "not run: the validation budget ran out", null));
            return;
        }
        try {
            Step done = query.run((int) Math.min(config.queryTimeoutSeconds(), left));
            c.commit();
            steps.add(done);
        } catch (SQLException e) {
            rollbackQuietly(c);
            steps.add(new Step(name, false, Errors.describe(e), null));
            if (isConnectionLost(c, e)) {
                lost = Errors.describe(e);
            }
        }
    }

    /** SQLSTATE class 08 (connection exception), or a connection that no longer answers. */
    private static boolean isConnectionLost(Connection c, SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return true;
        }
        try {
            return c.isClosed() || !c.isValid(2);
        } catch (SQLException notValid) {
            return true;
        }
    }

    /** A rollback that never throws over the step's own result (the connection may be dead). */
    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the step already says what failed
        }
    }

    @FunctionalInterface
    private interface RowTest {
        boolean test(ResultSet rs) throws SQLException;
    }

    private static Step one(Connection c, int timeout, String sql, String name, RowTest ok, String detail)
            throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(timeout);
            try (ResultSet rs = st.executeQuery(sql)) {
                return new Step(name, rs.next() && ok.test(rs), detail, null);
            }
        }
    }

    private static Step recovery(Connection c, int timeout) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(timeout);
            try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                boolean recovering = rs.next() && rs.getBoolean(1);
                return new Step(
                        "not in recovery", !recovering, recovering ? "still in recovery" : "read-write primary", null);
            }
        }
    }

    private static Step tableExists(Connection c, int timeout, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setQueryTimeout(timeout);
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                boolean exists = rs.next() && rs.getBoolean(1);
                return new Step("table " + table, exists, exists ? "exists" : "missing", null);
            }
        }
    }

    private static Step check(Connection c, int timeout, DrillCheck check) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(timeout);
            try (ResultSet rs = st.executeQuery(check.sql())) {
                if (!rs.next() || rs.getObject(1) == null) {
                    return new Step("check " + check.name(), false, "returned no value", null);
                }
                double value = rs.getDouble(1);
                boolean holds = check.holds(value);
                return new Step(
                        "check " + check.name(),
                        holds,
                        format(value) + (holds ? " within " : " outside ") + check.range(),
                        value);
            }
        }
    }

    /**
     * The newest row against the snapshot. A {@code timestamp without time zone} (or a date) is read
     * as a wall time in the configured zone; a row newer than the snapshot by more than the tolerance
     * cannot be in a restore of it: the column's zone is misread, and the check fails saying so.
     */
    private Step freshness(Connection c, int timeout, Freshness f, Instant snapshotCreated) throws SQLException {
        newest = newestRow(c, timeout, f);
        if (newest == null) {
            return new Step("freshness", false, f.label() + " has no rows", null);
        }
        lag = Duration.between(newest, snapshotCreated).toMinutes();
        long tolerance = f.tolerance().toMinutes();
        String detail = "newest " + f.label() + " " + newest + ", " + lag + " min before the snapshot (tolerance "
                + tolerance + " min)";
        if (lag < -tolerance) {
            return new Step(
                    "freshness",
                    false,
                    "newest row is in the future: check the column's zone (DRILL_FRESHNESS_ZONE " + f.zone() + "); "
                            + detail,
                    lag.doubleValue());
        }
        return new Step("freshness", lag <= tolerance, detail, lag.doubleValue());
    }

    /**
     * A point-in-time restore holds every row up to its target and none after it: the newest row is
     * at or before the target (a newer one means the restore went past its point, or the column's
     * zone is misread), and no older than the tolerance. The lag is measured in seconds.
     */
    private Step recoveryPoint(Connection c, int timeout, Freshness f, Instant target) throws SQLException {
        newest = newestRow(c, timeout, f);
        if (newest == null) {
            return new Step("recovery point", false, f.label() + " has no rows", null);
        }
        lagSeconds = Duration.between(newest, target).toSeconds();
        lag = lagSeconds / 60;
        String detail = "restored to " + target + ", newest row " + newest + ", lag " + lagSeconds + " s";
        if (lagSeconds < 0) {
            return new Step(
                    "recovery point",
                    false,
                    "a row newer than the restore point: the restore went past its target, or the column's zone is"
                            + " misread (DRILL_FRESHNESS_ZONE " + f.zone() + "); " + detail,
                    lagSeconds.doubleValue());
        }
        boolean within = lagSeconds <= f.tolerance().toSeconds();
        return new Step(
                "recovery point",
                within,
                detail + (within ? "" : " (tolerance " + f.tolerance().toMinutes() + " min)"),
                lagSeconds.doubleValue());
    }

    /** The newest value of the freshness column, or null on an empty table. */
    private static Instant newestRow(Connection c, int timeout, Freshness f) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(timeout);
            try (ResultSet rs = st.executeQuery(f.sql())) {
                return rs.next() ? instant(rs, f) : null;
            }
        }
    }

    private static Instant instant(ResultSet rs, Freshness f) throws SQLException {
        if (rs.getObject(1) == null) {
            return null;
        }
        return switch (rs.getMetaData().getColumnTypeName(1)) {
            case "timestamp" ->
                rs.getObject(1, LocalDateTime.class).atZone(f.zone()).toInstant();
            case "date" ->
                rs.getObject(1, LocalDate.class).atStartOfDay(f.zone()).toInstant();
            default -> rs.getObject(1, OffsetDateTime.class).toInstant();
        };
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.valueOf(value);
    }
}
