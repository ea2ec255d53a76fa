package com.kfood.ops.care;

import com.kfood.ops.shared.Errors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parent's DEFAULT partition, watched: rows there mean a period had no partition when they were
 * written, and they make that period's {@code CREATE ... PARTITION OF} fail ("updated partition
 * constraint for default partition would be violated"). Each run counts its rows by the period
 * they belong to, so the finding says which month and how to move them, and the create step skips
 * that period instead of failing on it. An empty DEFAULT, or none, is fine.
 */
final class DefaultPartition {
    /** Rows of the DEFAULT partition in one period [from, to); from null: rows with no key at all. */
    record Rows(ZonedDateTime from, ZonedDateTime to, long count) {
        boolean overlaps(PartitionPlanner.Planned p) {
            return from != null && from.isBefore(p.to()) && to.isAfter(p.from());
        }
    }

    static final String FIND_SQL = """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = ?::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'""";

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM");

    private DefaultPartition() {}

    /** The DEFAULT partition's rows by period, and what the run says of it (null: the table has none). */
    record Watch(List<Rows> rows, String summary) {}

    /** The table's DEFAULT watched; a read that fails is a WATCH finding, never the end of the run. */
    static Watch watch(
            Connection c,
            PartitionSpec spec,
            Catalog.Parent parent,
            CareConfig config,
            List<Finding> findings,
            Map<String, Long> queryMs) {
        try {
            Optional<String> name = DatabaseCare.timed(queryMs, "default:" + spec.qualified(), () -> find(c, spec));
            if (name.isEmpty()) {
                return new Watch(List.of(), null);
            }
            List<Rows> rows = DatabaseCare.timed(
                    queryMs,
                    "default-rows:" + spec.qualified(),
                    () -> rows(c, spec, parent, name.get(), config.zone(), config.queryTimeoutSeconds()));
            findings.addAll(findings(spec, parent, name.get(), rows));
            long total = rows.stream().mapToLong(Rows::count).sum();
            return new Watch(rows, name.get() + ": " + (total == 0 ? "empty" : total + " row(s)"));
        } catch (SQLException e) {
            findings.add(new Finding(
                    "partitions",
                    Finding.Level.WATCH,
                    spec.qualified() + ": its DEFAULT partition could not be read: " + Errors.describe(e)));
            return new Watch(List.of(), "not read");
        }
    }

    static Optional<String> find(Connection c, PartitionSpec spec) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(FIND_SQL)) {
            st.setString(1, spec.qualified());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Its rows by period (at most 24 periods, the oldest first), read as the table's owner in a
     * read-only transaction under the statement timeout: a huge DEFAULT is a finding, not a stuck run.
     */
    static List<Rows> rows(
            Connection c, PartitionSpec spec, Catalog.Parent parent, String name, ZoneId zone, int runSeconds)
            throws SQLException {
        String unit = spec.period() == PartitionSpec.Period.MONTHLY ? "month" : "day";
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        List<Rows> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
            st.execute("SET LOCAL statement_timeout = '" + runSeconds + "s'");
            st.execute("SET LOCAL ROLE " + Catalog.ident(parent.owner()));
            String key = Catalog.ident(parent.keyColumn());
            try (ResultSet rs = st.executeQuery("SELECT date_trunc('" + unit + "', " + key
                    + ")::timestamptz, count(*) FROM " + Catalog.qualified(spec.schema(), name)
                    + " GROUP BY 1 ORDER BY 1 NULLS FIRST LIMIT 24")) {
                while (rs.next()) {
                    OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
                    ZonedDateTime from = at == null ? null : at.atZoneSameInstant(zone);
                    ZonedDateTime to = from == null
                            ? null
                            : spec.period() == PartitionSpec.Period.MONTHLY ? from.plusMonths(1) : from.plusDays(1);
                    out.add(new Rows(from, to, rs.getLong(2)));
                }
            }
            c.commit();
        } catch (SQLException e) {
            Catalog.rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return out;
    }

    /** One ACT finding per period with rows: which month, how many, and the statements that move them. */
    static List<Finding> findings(PartitionSpec spec, Catalog.Parent parent, String name, List<Rows> rows) {
        List<Finding> out = new ArrayList<>();
        for (Rows r : rows) {
            if (r.from() == null) {
                out.add(new Finding(
                        "partitions",
                        Finding.Level.ACT,
                        r.count() + " row(s) in " + spec.schema() + "." + name + " have no " + parent.keyColumn()
                                + ": they belong to no period; the writer must set it"));
                continue;
            }
            String partition = PartitionPlanner.name(spec, r.from());
            String period = spec.period() == PartitionSpec.Period.MONTHLY
                    ? MONTH.format(r.from())
                    : r.from().toLocalDate().toString();
            out.add(new Finding(
                    "partitions",
                    Finding.Level.ACT,
                    r.count() + " row(s) of " + period + " in "
                            + spec.schema() + "." + name + ": the DEFAULT partition holds rows of " + partition
                            + "'s range, so it cannot be created; create the month and move them with: "
                            + move(spec, parent, name, partition, r)));
        }
        return out;
    }

    /** The statements that move a period's rows out of DEFAULT into its own partition, in one transaction. */
    static String move(PartitionSpec spec, Catalog.Parent parent, String name, String partition, Rows r) {
        String schema = spec.schema() + ".";
        String from = Catalog.bound(parent.keyType(), r.from());
        String to = Catalog.bound(parent.keyType(), r.to());
        return "BEGIN; CREATE TABLE " + schema + partition + " (LIKE " + spec.qualified() + " INCLUDING ALL); "
                + "WITH moved AS (DELETE FROM " + schema + name + " WHERE " + parent.keyColumn() + " >= '" + from
                + "' AND " + parent.keyColumn() + " < '" + to + "' RETURNING *) INSERT INTO " + schema + partition
                + " SELECT * FROM moved; ALTER TABLE " + spec.qualified() + " ATTACH PARTITION " + schema + partition
                + " FOR VALUES FROM ('" + from + "') TO ('" + to + "'); COMMIT;";
    }
}
