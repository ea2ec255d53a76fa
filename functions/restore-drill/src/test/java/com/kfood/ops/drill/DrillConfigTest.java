package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.testsupport.TestOps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillConfigTest {
    /** A valid configuration, plus {@code vars} (name, value...) over it. */
    static Env env(String... vars) {
        List<String> all = new ArrayList<>(List.of(
                "DB_INSTANCE_IDS", "kfood-db",
                "SNAPSHOT_PREFIX", "kfood-ops-dev",
                "STACK_NAME", "kfood-ops",
                "STATE_BUCKET", "kfood-ops-state-123456789012",
                "DRILL_SUBNET_GROUP", "kfood-db-private",
                "DRILL_SECURITY_GROUP_IDS", "sg-0d1e2f3a4b5c6d7e8",
                "DRILL_DATABASE", "kfood",
                "DRILL_TABLES", "restaurants,user_interactions",
                "DRILL_CHECKS",
                        "[{\"name\":\"restaurants\",\"sql\":\"SELECT count(*) FROM restaurants;\",\"min\":1000}]",
                "DRILL_FRESHNESS", "user_interactions.created_at"));
        all.addAll(List.of(vars));
        return TestOps.env(all.toArray(String[]::new));
    }

    @Test
    void theDefaultsAreSafeAndTheNamesAreDeterministic() {
        DrillConfig c = DrillConfig.from(env());
        assertThat(c.instanceClass()).isEqualTo("db.t4g.micro");
        assertThat(c.expiresAfter()).hasHours(6);
        // the RDS CA bundle and the host name, unless the stack says otherwise
        assertThat(c.sslMode()).isEqualTo("verify-full");
        assertThat(c.checks()).singleElement().satisfies(k -> {
            assertThat(k.sql()).isEqualTo("SELECT count(*) FROM restaurants");
            assertThat(k.holds(1000)).isTrue();
            assertThat(k.holds(999)).isFalse();
        });
        assertThat(c.freshness().orElseThrow().sql())
                .isEqualTo("SELECT max(\"created_at\") FROM \"public\".\"user_interactions\"");
        assertThat(c.instanceId("kfood-db", Instant.parse("2026-12-05T17:00:00Z"), DrillMode.SNAPSHOT))
                .isEqualTo("kfood-ops-dev-drill-kfood-db-20261205");
        assertThat(c.instanceId("kfood-db", Instant.parse("2026-12-05T17:00:00Z"), DrillMode.POINT_IN_TIME))
                .isEqualTo("kfood-ops-dev-drill-kfood-db-20261205-pitr");
        assertThat(c.modes().monthly()).containsExactly(DrillMode.SNAPSHOT, DrillMode.POINT_IN_TIME);
        assertThat(c.modes().pitrWindow()).hasHours(24);
        assertThat(c.modes().drSite()).isEmpty();
        assertThat(c.localEndpoint()).isEmpty();
    }

    @Test
    void badValuesFailAtInitWithTheVariableNamed() {
        assertThatThrownBy(() -> DrillConfig.from(env("DRILL_SUBNET_GROUP", "")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DRILL_SUBNET_GROUP");
        assertThatThrownBy(() -> DrillConfig.from(env("DRILL_SECURITY_GROUP_IDS", "default")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DRILL_SECURITY_GROUP_IDS");
        assertThatThrownBy(() -> DrillConfig.from(
                        env("DRILL_CHECKS", "[{\"name\":\"x\",\"sql\":\"SELECT 1; DROP TABLE t\",\"min\":1}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("one SQL statement");
        assertThatThrownBy(() -> DrillConfig.from(env("DRILL_CHECKS", "[{\"name\":\"x\",\"sql\":\"SELECT 1\"}]")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("a min, a max or both");
        assertThatThrownBy(() -> DrillConfig.from(env("DRILL_CHECKS", "{not json")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JSON array");
        assertThatThrownBy(() -> DrillConfig.from(env("DRILL_FRESHNESS", "users; DROP TABLE x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DRILL_FRESHNESS");
        assertThatThrownBy(() -> DrillConfig.from(
                        env("DB_INSTANCE_IDS", "a-database-with-a-name-long-enough-to-break-the-limit")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("RDS allows 63");
        assertThatThrownBy(() -> DrillConfig.from(env("DRILL_HOURLY_PRICE_USD", "cheap")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DRILL_HOURLY_PRICE_USD");
    }

    @Test
    void theLocalDatabaseStandInIsRefusedOutsideTheEmulator() {
        assertThatThrownBy(() -> DrillConfig.from(env("DRILL_DB_ENDPOINT_OVERRIDE", "127.0.0.1:5432")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("local emulator only");
        assertThatThrownBy(() -> DrillConfig.from(env(
                        "DRILL_DB_ENDPOINT_OVERRIDE", "db.attacker.example:5432",
                        "AWS_ENDPOINT_URL", "https://rds.ap-northeast-2.amazonaws.com")))
                .isInstanceOf(ConfigException.class);
        assertThat(DrillConfig.from(env(
                                "DRILL_DB_ENDPOINT_OVERRIDE",
                                "127.0.0.1:5432",
                                "AWS_ENDPOINT_URL",
                                "http://127.0.0.1:4566"))
                        .localEndpoint())
                .contains("127.0.0.1:5432");
    }
}
