package com.kfood.ops.care;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a partition's retention, each run as the parent's owner: mark, detach, drop,
 * and the catalog reads that find what a run left half done. A partition being archived carries
 * a comment, {@code kfood-ops archive of <parent>: FOR VALUES FROM (...) TO (...)}, set before it is
 * detached: detached, it still says where it belongs, so a later run resumes it and a restore can
 * attach it back.
 */
final class RetentionCatalog {
    static final String MARK = "kfood-ops archive of ";

    /** A partition to archive: attached (perhaps with a detach pending) or already detached by an earlier run. */
    record Candidate(
            String name, String bounds, boolean attached, boolean detachPending, long estimatedRows, long bytes) {}

    static final String ATTACHED_SQL = """
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), i.inhdetachpending,
                   greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = ?::regclass AND c.relname = ?""";

    static final String DETACHED_SQL = """
            SELECT c.relname, substr(obj_description(c.oid, 'pg_class'), ?),
                   greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relkind = 'r' AND NOT c.relispartition
              AND starts_with(obj_description(c.oid, 'pg_class'), ?)
            ORDER BY 1""";

    private RetentionCatalog() {}

    static Candidate attached(Connection c, PartitionSpec spec, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(ATTACHED_SQL)) {
            st.setString(1, spec.qualified());
            st.setString(2, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next()
                        ? new Candidate(
                                rs.getString(1), rs.getString(2), true, rs.getBoolean(3), rs.getLong(4), rs.getLong(5))
                        : null;
            }
        }
    }

    /** Tables an earlier run detached and did not finish archiving. */
    static List<Candidate> detached(Connection c, PartitionSpec spec) throws SQLException {
        String prefix = MARK + spec.qualified() + ": ";
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(DETACHED_SQL)) {
            st.setInt(1, prefix.length() + 1);
            st.setString(2, spec.schema());
            st.setString(3, prefix);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(
                            rs.getString(1), rs.getString(2), false, false, rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** The mark, then the detach: CONCURRENTLY (the application keeps reading and writing) unless a DEFAULT partition forbids it. */
    static void detach(
            Connection c, PartitionSpec spec, Catalog.Parent parent, Candidate p, boolean concurrently, int lockSeconds)
            throws SQLException {
        String partition = Catalog.qualified(spec.schema(), p.name());
        String table = Catalog.qualified(spec.schema(), spec.table());
        asOwner(c, parent, lockSeconds, st -> {
            // a literal made by the driver's own escaping: the bounds are PostgreSQL's text, the names validated
            st.execute("COMMENT ON TABLE " + partition + " IS " + literal(MARK + spec.qualified() + ": " + p.bounds()));
            st.execute("ALTER TABLE " + table + " DETACH PARTITION " + partition
                    + (p.detachPending() ? " FINALIZE" : concurrently ? " CONCURRENTLY" : ""));
        });
    }

    static void drop(Connection c, PartitionSpec spec, Catalog.Parent parent, String name, int lockSeconds)
            throws SQLException {
        asOwner(c, parent, lockSeconds, st -> st.execute("DROP TABLE " + Catalog.qualified(spec.schema(), name)));
    }

    /** The table's columns and types, in order: what the archive's manifest records. */
    static List<String> columns(Connection c, PartitionSpec spec, String name) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT attname || ' ' || format_type(atttypid, atttypmod)"
                        + " FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            st.setString(1, Catalog.qualified(spec.schema(), name));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    interface Step {
        void run(Statement st) throws SQLException;
    }

    /**
     * Runs {@code step} as the parent's owner with the lock timeout, outside a transaction (DETACH
     * CONCURRENTLY cannot run in one); the role and the timeout are reset whatever happens.
     */
    static void asOwner(Connection c, Catalog.Parent parent, int lockSeconds, Step step) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '" + lockSeconds + "s'");
            st.execute("SET ROLE " + Catalog.ident(parent.owner()));
            try {
                step.run(st);
            } finally {
                st.execute("RESET ROLE");
                st.execute("RESET lock_timeout");
            }
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String literal(String text) throws SQLException {
        return "'" + org.postgresql.core.Utils.escapeLiteral(null, text, true) + "'";
    }
}
