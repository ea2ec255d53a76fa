package com.kfood.ops.emulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Properties;

/**
 * The operations plan's schema in a database of the machine's PostgreSQL (127.0.0.1:5432, trust
 * auth): {@code restaurants} (an index, autovacuum scale factor 0.1 as the plan tunes it) and
 * {@code user_interactions} partitioned by month with this month's partition only, owned by
 * {@code kfood_app}; and the database care role {@code kfood_ops_care}, which reads the statistics
 * (pg_monitor) and may create partitions as the tables' owner, nothing else. With problems: an
 * invalid index left by a failed concurrent build and a table whose dead rows autovacuum never
 * removed. Recreated from scratch each time.
 */
public final class DemoDatabase {
    public static final String CARE_ROLE = "kfood_ops_care";
    /** The past month the demo's history has no partition for: its rows are in the DEFAULT partition. */
    public static final int GAP_MONTHS_AGO = 5;

    public static final String OWNER_ROLE = "kfood_app";
    /**
     * The restore drill's login: the user name in the master-user secrets the emulator makes for a
     * restored instance (AWS keeps the snapshot's master user). It may read everything, nothing else.
     */
    public static final String DRILL_ROLE = "admin";

    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private DemoDatabase() {}

    /** The grant that lets the care role do its job, as docs/operations.md, Database care documents it. */
    public static String[] careGrants(String database) {
        return new String[] {
            "GRANT CONNECT ON DATABASE " + database + " TO " + CARE_ROLE,
            "GRANT pg_monitor TO " + CARE_ROLE,
            "GRANT CREATE ON SCHEMA public TO " + CARE_ROLE,
            "GRANT " + OWNER_ROLE + " TO " + CARE_ROLE,
        };
    }

    /** The database as of the wall clock's now (the demo, which speaks of today). */
    public static void recreate(String database, boolean withProblems) throws SQLException {
        recreate(database, withProblems, Instant.now());
    }

    /**
     * The database as of {@code now}: this month's partition and rows of the ten hours before
     * {@code now} (never before the month's start, which has no partition), so a test whose clock is
     * fixed gets the same database on any date. Times come from here, never from the server's now().
     */
    public static void recreate(String database, boolean withProblems, Instant now) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection admin = connect(ADMIN_URL);
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + database);
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + OWNER_ROLE
                    + "') THEN CREATE ROLE "
                    + OWNER_ROLE + " NOLOGIN; END IF; IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + CARE_ROLE
                    + "') THEN CREATE ROLE " + CARE_ROLE
                    + " LOGIN; END IF; IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
                    + DRILL_ROLE + "') THEN CREATE ROLE " + DRILL_ROLE + " LOGIN; END IF; END $$");
        }
        LocalDate month = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
        try (Connection c = connect("jdbc:postgresql://127.0.0.1:5432/" + database);
                Statement st = c.createStatement()) {
            st.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            st.execute("GRANT CREATE ON SCHEMA public TO " + OWNER_ROLE);
            st.execute("CREATE TABLE restaurants (id bigserial PRIMARY KEY, name text NOT NULL, region text NOT NULL,"
                    + " updated_at timestamptz NOT NULL DEFAULT now()) WITH (autovacuum_vacuum_scale_factor = 0.1)");
            st.execute("CREATE INDEX restaurants_region_idx ON restaurants (region)");
            st.execute(
                    "INSERT INTO restaurants (name, region) SELECT 'restaurant ' || i, 'region ' || (i % 17) FROM generate_series(1, 1200) i");
            st.execute(
                    "CREATE TABLE user_interactions (id bigint NOT NULL, restaurant_id bigint NOT NULL, kind text NOT NULL,"
                            + " created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at)");
            String partition =
                    "user_interactions_" + month.getYear() + "_" + String.format("%02d", month.getMonthValue());
            st.execute("CREATE TABLE " + partition + " PARTITION OF user_interactions FOR VALUES FROM ('" + month
                    + " 00:00:00+00') TO ('" + month.plusMonths(1) + " 00:00:00+00')");
            st.execute("INSERT INTO user_interactions SELECT i, 1 + i % 1200, 'view', greatest(timestamptz '" + now
                    + "' - (i % 600) * interval '1 minute', timestamptz '" + month + " 00:00:00+00')"
                    + " FROM generate_series(1, 3000) i");
            st.execute("ALTER TABLE restaurants OWNER TO " + OWNER_ROLE);
            st.execute("ALTER TABLE user_interactions OWNER TO " + OWNER_ROLE);
            st.execute("ALTER TABLE " + partition + " OWNER TO " + OWNER_ROLE); // an owner does not pass to partitions
            for (String grant : careGrants(database)) {
                st.execute(grant);
            }
            st.execute("GRANT CONNECT ON DATABASE " + database + " TO " + DRILL_ROLE);
            st.execute("GRANT pg_read_all_data TO " + DRILL_ROLE);
            if (withProblems) {
                // a concurrent unique build that fails on duplicates leaves an invalid index behind
                try {
                    st.execute("CREATE UNIQUE INDEX CONCURRENTLY restaurants_region_unique ON restaurants (region)");
                } catch (SQLException expected) {
                    // "could not create unique index": the invalid index stays, as in production
                }
                st.execute(
                        "CREATE TABLE menu_views (id bigint PRIMARY KEY, views bigint NOT NULL) WITH (autovacuum_enabled = false)");
                st.execute("INSERT INTO menu_views SELECT i, 0 FROM generate_series(1, 2000) i");
                st.execute("UPDATE menu_views SET views = views + 1");
                st.execute("UPDATE menu_views SET views = views + 1");
                st.execute("ALTER TABLE menu_views OWNER TO " + OWNER_ROLE);
            }
            st.execute("ANALYZE");
            st.execute(
                    "SELECT pg_stat_force_next_flush()"); // the statistics views see the updates now, not in a second
        }
    }

    /**
     * A year and more of history: {@code months} past months of {@code user_interactions}, 40 rows
     * each, so a table with {@code retain=12} has its oldest to archive; but five months ago has no
     * partition, and its two rows went to the DEFAULT partition (database care says which month and
     * how to move them). Past, not future, rows: the restore drill's freshness check reads the
     * newest row, and a row from next year would be a problem of its own.
     */
    public static void pastMonths(String database, Instant now, int months) throws SQLException {
        LocalDate month = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
        try (Connection c = connect("jdbc:postgresql://127.0.0.1:5432/" + database);
                Statement st = c.createStatement()) {
            for (int m = months; m >= 1; m--) {
                LocalDate from = month.minusMonths(m);
                if (m == GAP_MONTHS_AGO) {
                    continue;
                }
                String name = "user_interactions_" + from.getYear() + "_" + String.format("%02d", from.getMonthValue());
                st.execute("CREATE TABLE " + name + " PARTITION OF user_interactions FOR VALUES FROM ('" + from
                        + " 00:00:00+00') TO ('" + from.plusMonths(1) + " 00:00:00+00')");
                st.execute("ALTER TABLE " + name + " OWNER TO " + OWNER_ROLE);
                st.execute("INSERT INTO user_interactions SELECT 100000 * " + m
                        + " + i, 1 + i % 1200, 'view', timestamptz '" + from
                        + " 00:00:00+00' + i * interval '16 hours' FROM generate_series(1, 40) i");
            }
            st.execute("CREATE TABLE user_interactions_default PARTITION OF user_interactions DEFAULT");
            st.execute("ALTER TABLE user_interactions_default OWNER TO " + OWNER_ROLE);
            LocalDate gap = month.minusMonths(GAP_MONTHS_AGO);
            st.execute("INSERT INTO user_interactions VALUES (990001, 1, 'view', '" + gap + " 09:00:00+00'),"
                    + " (990002, 2, 'like', '" + gap.plusDays(1) + " 21:30:00+00')");
            st.execute("ANALYZE user_interactions");
        }
    }

    /**
     * What RDS's point-in-time restore of {@code source} to {@code pointInTime} holds, as a database
     * {@code target} of the same server: a copy with the interactions written after that time gone (the
     * emulator restores no data; this plays RDS's part for the drill to validate).
     */
    public static void restoredAt(String source, String target, Instant pointInTime) throws SQLException {
        for (String name : new String[] {source, target}) {
            if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("not a plain database name: " + name);
            }
        }
        try (Connection admin = connect(ADMIN_URL);
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + target + " WITH (FORCE)");
            // a template must have no other session: the copy is of the database as it is now
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + source + "'");
            st.execute("CREATE DATABASE " + target + " TEMPLATE " + source);
        }
        try (Connection c = connect("jdbc:postgresql://127.0.0.1:5432/" + target);
                Statement st = c.createStatement()) {
            // the rows written after that time (restaurants stand for rows of long before: all kept)
            st.execute("DELETE FROM user_interactions WHERE created_at > timestamptz '" + pointInTime + "'");
            st.execute("GRANT CONNECT ON DATABASE " + target + " TO " + DRILL_ROLE);
            st.execute("ANALYZE");
        }
    }

    private static Connection connect(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        return DriverManager.getConnection(url, props);
    }
}
