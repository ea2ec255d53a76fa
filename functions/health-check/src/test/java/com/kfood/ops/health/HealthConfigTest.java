package com.kfood.ops.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database check verifies the server (the RDS CA bundle and its name) unless the stack says otherwise. */
class HealthConfigTest {
    @Test
    void verifyFullByDefaultDisableOnlyWhenSaid() {
        assertThat(HealthConfig.from(Env.of(Map.of())).dbSslMode()).isEqualTo("verify-full");
        assertThat(HealthConfig.from(Env.of(Map.of("DB_SSLMODE", "disable"))).dbSslMode())
                .isEqualTo("disable");
        assertThat(HealthConfig.from(Env.of(Map.of())).redisTls()).isTrue();
    }

    @Test
    void aModeThatFallsBackToPlainTextIsRefusedAtInit() {
        assertThatThrownBy(() -> HealthConfig.from(Env.of(Map.of("DB_SSLMODE", "prefer"))))
                .hasMessageContaining("DB_SSLMODE must be one of");
    }
}
