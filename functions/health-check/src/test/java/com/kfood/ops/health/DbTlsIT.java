package com.kfood.ops.health;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.DbSecret;
import com.kfood.ops.shared.Json;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * verify-full against the machine's PostgreSQL on 127.0.0.1, which is no RDS instance: whether it
 * offers no TLS or a certificate of its own, the connection must be refused, never made in plain
 * text or with an unverified certificate (what require would do).
 */
class DbTlsIT {
    private static final JsonNode LOCAL = Json.parseValue(
            "{\"host\":\"127.0.0.1\",\"port\":5432,\"username\":\"postgres\",\"password\":\"\",\"dbname\":\"postgres\"}");

    @Test
    void verifyFullRefusesAServerTheRdsCaBundleDoesNotVouchFor() {
        assertThatThrownBy(() -> DbSecret.connect(LOCAL, "verify-full", 3, "kfood-ops-tls-test"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .containsAnyOf("does not support SSL", "PKIX", "certificate", "hostname"));
    }

    @Test
    void disableStillConnectsToTheLocalDatabase() throws Exception {
        try (var c = DbSecret.connect(LOCAL, "disable", 3, "kfood-ops-tls-test")) {
            org.assertj.core.api.Assertions.assertThat(c.isValid(2)).isTrue();
        }
    }
}
