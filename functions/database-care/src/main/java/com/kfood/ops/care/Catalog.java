package com.kfood.ops.care;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Text;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.core.Utils;

/**
 * What PostgreSQL's catalog says about a partitioned parent, and the one statement that changes
 * anything: {@code CREATE TABLE ... PARTITION OF}, run as the parent's owner (the
 * care role is a member of that role), so a new partition belongs to whoever owns its siblings.
 */
final class Catalog {
    /** The parent as the care run needs it. {@code partmanPremake}: pg_partman manages it, with that premake. */
    record Parent(
            String owner,
            String keyType,
            String keyColumn,
            Optional<Integer> partmanPremake,
            List<PartitionPlanner.Range> partitions,
            String partmanRetention) {}

    static final String PARENT_SQL = """
            SELECT quote_ident(pg_get_userbyid(c.relowner)), p.partstrat::text, p.partnatts,
                   format_type(a.atttypid, a.atttypmod), a.attname
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_partitioned_table p ON p.partrelid = c.oid
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
            WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')""";

    /** The partitions' bounds, read in the session's time zone (set to the configured one). */
    static final String PARTITIONS_SQL = """
            SELECT c.relname,
                   (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']*)''\\)'))[1]::timestamptz,
                   (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']*)''\\)'))[1]::timestamptz
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = ?::regclass""";

    static final String PARTMAN_SQL = """
            SELECT coalesce((SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                             WHERE e.extname = 'pg_partman'),
                            CASE WHEN to_regclass('partman.part_config') IS NOT NULL THEN 'partman' END)""";

    private Catalog() {}

    /** Sets the session's time zone: bounds are read and written as wall times there. */
    static void useZone(Connection c, String zone) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT set_config('TimeZone', ?, false)")) {
            st.setString(1, zone);
            st.execute();
        }
    }

    /** The parent, or a ConfigException naming PARTITIONED_TABLES when it is not a range-partitioned table on a time column. */
    static Parent parent(Connection c, PartitionSpec spec, Optional<String> partmanSchema) throws SQLException {
        String owner;
        String keyType;
        String keyColumn;
        try (PreparedStatement st = c.prepareStatement(PARENT_SQL)) {
            st.setString(1, spec.schema());
            st.setString(2, spec.table());
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new ConfigException(
                            "PARTITIONED_TABLES names " + spec.qualified() + ", which is not a table in this database");
                }
                if (rs.getString(2) == null) {
                    throw new ConfigException(
                            "PARTITIONED_TABLES names " + spec.qualified() + ", which is not partitioned");
                }
                if (!"r".equals(rs.getString(2)) || rs.getInt(3) != 1) {
                    throw new ConfigException("PARTITIONED_TABLES names " + spec.qualified()
                            + ", which is not partitioned by range on one column");
                }
                owner = rs.getString(1);
                keyType = rs.getString(4);
                keyColumn = rs.getString(5);
            }
        }
        if (!List.of("date", "timestamp without time zone", "timestamp with time zone")
                .contains(keyType)) {
            throw new ConfigException("PARTITIONED_TABLES names " + spec.qualified() + ", partitioned on a " + keyType
                    + " column; only date and timestamp keys get partitions by period");
        }
        List<PartitionPlanner.Range> ranges = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(PARTITIONS_SQL)) {
            st.setString(1, spec.qualified());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getObject(2) != null
                            && rs.getObject(3) != null) { // DEFAULT and MINVALUE/MAXVALUE bounds cover no period
                        ranges.add(new PartitionPlanner.Range(
                                rs.getString(1),
                                rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getObject(3, OffsetDateTime.class).toInstant()));
                    }
                }
            }
        }
        String[] partman = partmanSchema.isEmpty() ? null : partman(c, partmanSchema.get(), spec);
        return new Parent(
                owner,
                keyType,
                keyColumn,
                partman == null ? Optional.empty() : Optional.of(Integer.parseInt(partman[0])),
                ranges,
                partman == null ? null : partman[1]);
    }

    /** pg_partman's schema when it is installed (or its configuration table exists); empty otherwise. */
    static Optional<String> partmanSchema(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(PARTMAN_SQL)) {
            rs.next();
            return Optional.ofNullable(rs.getString(1));
        }
    }

    /** pg_partman's premake and retention for the parent (the retention reported, never changed here). */
    private static String[] partman(Connection c, String schema, PartitionSpec spec) throws SQLException {
        // schema is quote_ident()'s answer: safe to place in the statement; retention read through
        // to_jsonb, so a part_config without that column (an old pg_partman) answers null, not an error
        try (PreparedStatement st = c.prepareStatement("SELECT premake, to_jsonb(pc) ->> 'retention' FROM " + schema
                + ".part_config pc WHERE parent_table = ?")) {
            st.setString(1, spec.qualified());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : null;
            }
        }
    }

    /**
     * Creates one partition as the parent's owner, in its own transaction. {@code CREATE ... PARTITION
     * OF} takes an ACCESS EXCLUSIVE lock on the parent: {@code lock_timeout} bounds how long it waits
     * (every application query on the table queues behind the waiting DDL), {@code statement_timeout}
     * how long it runs (a DEFAULT partition is scanned under that lock). An existing name is an error
     * (SQLSTATE 42P07), never a silent "created".
     */
    static void create(
            Connection c,
            PartitionSpec spec,
            Parent parent,
            PartitionPlanner.Planned p,
            int lockSeconds,
            int runSeconds)
            throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '" + lockSeconds + "s'");
            st.execute("SET LOCAL statement_timeout = '" + runSeconds + "s'");
            // every identifier quoted, though validated: a name is never read as SQL (issue 31)
            st.execute("SET LOCAL ROLE " + ident(parent.owner()));
            st.execute("CREATE TABLE " + qualified(spec.schema(), p.name()) + " PARTITION OF "
                    + qualified(spec.schema(), spec.table()) + " FOR VALUES FROM ('"
                    + bound(parent.keyType(), p.from()) + "') TO ('" + bound(parent.keyType(), p.to()) + "')");
            c.commit();
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** An identifier quoted as PostgreSQL's quote_ident does: in double quotes, each one doubled (the driver's own escaping). */
    static String ident(String name) throws SQLException {
        return Utils.escapeIdentifier(null, name).toString();
    }

    /** A schema's table, each name quoted: {@code "public"."user_interactions_2025_10"}. */
    static String qualified(String schema, String name) throws SQLException {
        return ident(schema) + "." + ident(name);
    }

    /** A rollback that never throws over the error that caused it (the connection may be gone). */
    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the first error is the one worth reporting
        }
    }

    /** The sessions holding a lock on the parent now (not this one): pid, state, ages and the query, masked. */
    static final String LOCK_HOLDERS_SQL = """
            SELECT DISTINCT a.pid, a.state,
                   extract(epoch FROM now() - a.xact_start)::bigint,
                   a.query_start,
                   a.query
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'relation' AND l.relation = ?::regclass AND l.granted
              AND a.pid <> pg_backend_pid()
            ORDER BY 3 DESC NULLS LAST
            LIMIT 3""";

    static List<String> lockHolders(Connection c, PartitionSpec spec) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(LOCK_HOLDERS_SQL)) {
            st.setString(1, spec.qualified());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime started = rs.getObject(4, OffsetDateTime.class);
                    out.add("pid " + rs.getInt(1) + " (" + rs.getString(2) + ", transaction open "
                            + rs.getLong(3) + " s, query started " + (started == null ? "-" : started.toInstant())
                            + ": " + Text.masked(rs.getString(5) == null ? "" : rs.getString(5), 80) + ")");
                }
            }
        }
        return out;
    }

    /** A bound literal for the key's type: a wall time in the zone, or an instant with its offset. */
    static String bound(String keyType, ZonedDateTime at) {
        return switch (keyType) {
            case "date" -> at.toLocalDate().toString();
            case "timestamp without time zone" -> at.toLocalDateTime().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            default -> at.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        };
    }
}
