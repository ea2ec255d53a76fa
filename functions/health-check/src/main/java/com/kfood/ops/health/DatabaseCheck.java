package com.kfood.ops.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.DbSecret;
import com.kfood.ops.shared.SecretCache;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL: a real connection with the JDBC driver and {@code SELECT 1}, credentials from an
 * RDS-style secret ({@code host, port, username, password, dbname}). An authentication failure
 * drops the cached secret and tries once more: the password may just have been rotated.
 */
public final class DatabaseCheck implements HealthCheck {
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
        return DbSecret.target(secrets.get(secretArn));
    }

    @Override
    public String run() throws SQLException {
        try {
            return query(secrets.get(secretArn));
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith(DbSecret.AUTH_FAILURE)) {
                throw e;
            }
            secrets.invalidate(secretArn);
            return query(secrets.get(secretArn)) + " (after refreshing rotated credentials)";
        }
    }

    private String query(JsonNode secret) throws SQLException {
        int seconds = Math.max(1, (timeoutMs + 999) / 1000);
        try (Connection c = DbSecret.connect(secret, sslMode, seconds, "kfood-ops-health-check");
                Statement st = c.createStatement()) {
            st.setQueryTimeout(seconds);
            try (ResultSet rs = st.executeQuery("SELECT 1, pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(2) ? "reached a read replica (in recovery), not the writer" : "writer";
            }
        }
    }
}
