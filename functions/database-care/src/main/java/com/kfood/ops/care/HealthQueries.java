package com.kfood.ops.care;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-only health checks, one statement each, over the statistics views and settings (the
 * care role needs pg_monitor to see other sessions). No row of the application's data and no query
 * text is read: only names, counts, ages and sizes.
 */
final class HealthQueries {
    static final String INVALID_INDEXES_SQL = """
            SELECT n.nspname || '.' || c.relname
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT i.indisvalid ORDER BY 1""";

    /** Autovacuum's own trigger point per table: threshold + scale factor x live rows, the table's settings first. */
    static final String VACUUM_SQL = """
            SELECT s.schemaname || '.' || s.relname, s.n_live_tup, s.n_dead_tup,
                   coalesce((SELECT option_value::float8 FROM pg_options_to_table(c.reloptions)
                             WHERE option_name = 'autovacuum_vacuum_scale_factor'),
                            current_setting('autovacuum_vacuum_scale_factor')::float8),
                   coalesce((SELECT option_value::bigint FROM pg_options_to_table(c.reloptions)
                             WHERE option_name = 'autovacuum_vacuum_threshold'),
                            current_setting('autovacuum_vacuum_threshold')::bigint),
                   extract(epoch FROM now() - greatest(s.last_vacuum, s.last_autovacuum))::bigint,
                   extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze))::bigint
            FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid ORDER BY 1""";

    static final String XID_SQL = """
            SELECT age(datfrozenxid), current_setting('autovacuum_freeze_max_age')::bigint
            FROM pg_database WHERE datname = current_database()""";

    static final String SESSIONS_SQL = """
            SELECT count(*) FILTER (WHERE state NOT LIKE 'idle%' AND xact_start < now() - make_interval(secs => ?)),
                   count(*) FILTER (WHERE state LIKE 'idle in transaction%' AND state_change < now() - make_interval(secs => ?)),
                   coalesce(extract(epoch FROM now() - min(xact_start)), 0)::bigint
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'""";

    static final String CONNECTIONS_SQL = """
            SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
                   current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int""";

    static final String SIZE_SQL = "SELECT pg_database_size(current_database())";

    /** A table whose dead rows are past autovacuum's trigger point: autovacuum has fallen behind on it. */
    record Vacuum(
            String table,
            long live,
            long dead,
            double scaleFactor,
            long threshold,
            Long secondsSinceVacuum,
            Long secondsSinceAnalyze) {
        boolean behind() {
            return dead > threshold + scaleFactor * live;
        }

        double deadRatio() {
            return live + dead == 0 ? 0 : (double) dead / (live + dead);
        }
    }

    record Xid(long age, long freezeMaxAge) {
        /** Of autovacuum_freeze_max_age: past 100 % an anti-wraparound vacuum is due. */
        double percentOfFreezeMaxAge() {
            return 100.0 * age / freezeMaxAge;
        }
    }

    record Sessions(long longTransactions, long idleInTransaction, long oldestTransactionSeconds) {}

    record Connections(long used, long available) {
        double percent() {
            return available <= 0 ? 100 : 100.0 * used / available;
        }
    }

    private HealthQueries() {}

    static List<String> invalidIndexes(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(INVALID_INDEXES_SQL);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static List<Vacuum> vacuum(Connection c) throws SQLException {
        List<Vacuum> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(VACUUM_SQL);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(new Vacuum(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getDouble(4),
                        rs.getLong(5),
                        rs.getObject(6) == null ? null : rs.getLong(6),
                        rs.getObject(7) == null ? null : rs.getLong(7)));
            }
        }
        return out;
    }

    static Xid xid(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(XID_SQL);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return new Xid(rs.getLong(1), rs.getLong(2));
        }
    }

    static Sessions sessions(Connection c, Duration olderThan) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SESSIONS_SQL)) {
            st.setLong(1, olderThan.toSeconds());
            st.setLong(2, olderThan.toSeconds());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Sessions(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    static Connections connections(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(CONNECTIONS_SQL);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return new Connections(rs.getLong(1), rs.getLong(2));
        }
    }

    static long sizeBytes(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SIZE_SQL);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
