package com.kfood.ops.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL connection from a secret in RDS's shape ({@code host}, {@code port},
 * {@code username}, {@code password}, {@code dbname}). The password never leaves this method: not
 * into a URL, a log line or an exception message. {@code verify-ca} and {@code verify-full} verify
 * the server against the RDS certificate authorities the function ships ({@link RdsCa}).
 */
public final class DbSecret {
    /** SQLSTATE class 28: invalid authorization (wrong password, unknown role). */
    public static final String AUTH_FAILURE = "28";

    private DbSecret() {}

    public static String target(JsonNode secret) {
        return secret.path("host").asText("?") + ":" + secret.path("port").asText("5432") + "/"
                + secret.path("dbname").asText("postgres");
    }

    /** Connects with connect, login and socket timeouts of {@code timeoutSeconds} each. */
    public static Connection connect(JsonNode secret, String sslMode, int timeoutSeconds, String applicationName)
            throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", secret.path("username").asText(""));
        props.setProperty("password", secret.path("password").asText(""));
        props.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
        props.setProperty("socketTimeout", String.valueOf(timeoutSeconds));
        props.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
        props.setProperty("sslmode", sslMode);
        if (sslMode.startsWith("verify-")) {
            // the RDS CAs the function ships: the server's certificate (and, verify-full, its name)
            props.setProperty("sslrootcert", RdsCa.file().toString());
        }
        props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection("jdbc:postgresql://" + target(secret), props);
    }
}
