package com.kfood.ops.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * PostgreSQL: a real connection with the JDBC driver and {@code SELECT 1}, credentials from an
 * RDS-style secret ({@code host, port, username, password, dbname}). An authentication failure
 * drops the cached secret and tries once more: the password may just have been rotated.
 */
public final class DatabaseCheck implements HealthCheck {
    /** SQLSTATE class 28: invalid authorization (wrong password, unknown role). */
    private static final String AUTH_FAILURE = "28";

    private final String secretArn;
    private final SecretCache secrets;
    private final int timeoutMs;
    private final String sslMode;

    public DatabaseCheck(String secretArn, SecretCache secrets, int timeoutMs, String sslMode) {
        this.secretArn = secretArn;
        this.secrets = secrets;
        this.timeoutMs = timeoutMs;
        this.sslMode = sslMode;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public String target() {
        JsonNode s = secrets.get(secretArn);
        return s.path("host").asText("?") + ":" + s.path("port").asText("5432") + "/"
                + s.path("dbname").asText("postgres");
    }

    @Override
    public String run() throws SQLException {
        try {
            return query(secrets.get(secretArn));
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith(AUTH_FAILURE)) {
                throw e;
            }
            secrets.invalidate(secretArn);
            return query(secrets.get(secretArn)) + " (after refreshing rotated credentials)";
        }
    }

    private String query(JsonNode secret) throws SQLException {
        int seconds = Math.max(1, (timeoutMs + 999) / 1000);
        Properties props = new Properties();
        props.setProperty("user", secret.path("username").asText(""));
        props.setProperty("password", secret.path("password").asText(""));
        props.setProperty("connectTimeout", String.valueOf(seconds));
        props.setProperty("socketTimeout", String.valueOf(seconds));
        props.setProperty("loginTimeout", String.valueOf(seconds));
        props.setProperty("sslmode", sslMode);
        props.setProperty("ApplicationName", "kfood-ops-health-check");
        String url = "jdbc:postgresql://" + secret.path("host").asText("") + ":"
                + secret.path("port").asText("5432") + "/"
                + secret.path("dbname").asText("postgres");
        try (Connection c = DriverManager.getConnection(url, props);
                Statement st = c.createStatement()) {
            st.setQueryTimeout(seconds);
            try (ResultSet rs = st.executeQuery("SELECT 1, pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(2) ? "reached a read replica (in recovery), not the writer" : "writer";
            }
        }
    }
}
