package com.kfood.ops.drill;

import com.kfood.ops.shared.Errors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a restored database must show, over a real connection, read-only: it answers, it is not in
 * recovery, the expected tables exist, each configured check is in range, and its newest row is
 * about as new as the snapshot. Every step is recorded; the first failure does not hide the rest.
 */
final class Validation {
    /** One step's outcome; {@code value} is the number a check read, if any. */
    record Step(String name, boolean passed, String detail, Double value) {}

    /** @param dataLagMinutes snapshot time minus the newest row's time (null without a freshness check) */
    record Outcome(List<Step> steps, Instant newestRow, Long dataLagMinutes) {
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

    private final DrillConfig config;

    Validation(DrillConfig config) {
        this.config = config;
    }

    Outcome run(Connection c, Instant snapshotCreated) throws SQLException {
        List<Step> steps = new ArrayList<>();
        c.setAutoCommit(false);
        c.setReadOnly(true); // every statement below runs in a READ ONLY transaction
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(config.queryTimeoutSeconds());
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                steps.add(new Step("connect", rs.next() && rs.getInt(1) == 1, "SELECT 1", null));
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                boolean recovering = rs.next() && rs.getBoolean(1);
                steps.add(new Step(
                        "not in recovery", !recovering, recovering ? "still in recovery" : "read-write primary", null));
            }
        }
        c.commit();
        for (String table : config.tables()) {
            steps.add(tableExists(c, table));
        }
        for (DrillCheck check : config.checks()) {
            steps.add(check(c, check));
        }
        Instant newest = null;
        Long lag = null;
        if (config.freshness().isPresent()) {
            Freshness f = config.freshness().get();
            Step step;
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(config.queryTimeoutSeconds());
                try (ResultSet rs = st.executeQuery(f.sql())) {
                    Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
                    newest = t == null ? null : t.toInstant();
                }
                c.commit();
                if (newest == null) {
                    step = new Step("freshness", false, f.label() + " has no rows", null);
                } else {
                    lag = Duration.between(newest, snapshotCreated).toMinutes();
                    boolean fresh = lag <= f.tolerance().toMinutes();
                    step = new Step(
                            "freshness",
                            fresh,
                            "newest " + f.label() + " " + newest + ", " + lag + " min before the snapshot (tolerance "
                                    + f.tolerance().toMinutes() + " min)",
                            lag.doubleValue());
                }
            } catch (SQLException e) {
                c.rollback();
                step = new Step("freshness", false, Errors.describe(e), null);
            }
            steps.add(step);
        }
        return new Outcome(List.copyOf(steps), newest, lag);
    }

    private Step tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setQueryTimeout(config.queryTimeoutSeconds());
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                boolean exists = rs.next() && rs.getBoolean(1);
                c.commit();
                return new Step("table " + table, exists, exists ? "exists" : "missing", null);
            }
        }
    }

    private Step check(Connection c, DrillCheck check) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.setQueryTimeout(config.queryTimeoutSeconds());
            try (ResultSet rs = st.executeQuery(check.sql())) {
                if (!rs.next() || rs.getObject(1) == null) {
                    c.rollback();
                    return new Step("check " + check.name(), false, "returned no value", null);
                }
                double value = rs.getDouble(1);
                c.commit();
                boolean holds = check.holds(value);
                return new Step(
                        "check " + check.name(),
                        holds,
                        format(value) + (holds ? " within " : " outside ") + check.range(),
                        value);
            }
        } catch (SQLException e) {
            c.rollback();
            return new Step("check " + check.name(), false, Errors.describe(e), null);
        }
    }

    static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf((long) value)
                : String.valueOf(value);
    }
}
