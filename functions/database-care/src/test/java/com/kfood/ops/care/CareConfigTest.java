package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.testsupport.TestOps;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration is checked at init; a hostile or odd value is refused with the variable's name. */
class CareConfigTest {
    private static final String SECRET = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:kfood-ops/care";

    @Test
    void theShippedShapeIsRead() {
        CareConfig c = CareConfig.from(TestOps.env(
                "DB_SECRET_ARN",
                SECRET,
                "PARTITIONED_TABLES",
                "user_interactions:monthly:3:retain=12, audit.events:daily:7",
                "PARTITION_TIME_ZONE",
                "Asia/Seoul",
                "BACKUP_BUCKET",
                "kfood-backups"));
        assertThat(c.tables())
                .extracting(PartitionSpec::qualified)
                .containsExactly("public.user_interactions", "audit.events");
        // retain=12 archives what ended more than 12 months ago; without retain nothing is ever detached
        assertThat(c.tables()).extracting(PartitionSpec::retain).containsExactly(12, 0);
        assertThat(c.zone()).isEqualTo(ZoneId.of("Asia/Seoul"));
        // the RDS CA bundle and the host name, unless the stack says otherwise
        assertThat(c.dbSslMode()).isEqualTo("verify-full");
        assertThat(c.dryRun()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "PARTITIONED_TABLES|\"UserInteractions\":monthly:3|PARTITIONED_TABLES",
                "PARTITIONED_TABLES|user_interactions; DROP TABLE users:monthly:3|PARTITIONED_TABLES",
                "PARTITIONED_TABLES|user_interactions:yearly:3|PARTITIONED_TABLES",
                "PARTITIONED_TABLES|user_interactions:monthly:0|PARTITIONED_TABLES",
                "PARTITIONED_TABLES|user_interactions:monthly:3,user_interactions:monthly:2|PARTITIONED_TABLES",
                "PARTITIONED_TABLES|user_interactions:monthly:3:retain=0|PARTITIONED_TABLES",
                "PARTITIONED_TABLES|user_interactions:monthly:3:retain=121|PARTITIONED_TABLES",
                "PARTITIONED_TABLES|user_interactions:monthly:3:retain=-1|PARTITIONED_TABLES",
                "PARTITIONED_TABLES|user_interactions:monthly:3:keep=12|PARTITIONED_TABLES",
                "PARTITION_TIME_ZONE|Mars/Olympus|PARTITION_TIME_ZONE",
                "LONG_TRANSACTION_SECONDS|-1|LONG_TRANSACTION_SECONDS",
            })
    void oddValuesAreRefusedNamingTheVariable(String name, String value, String named) {
        assertThatThrownBy(() -> CareConfig.from(TestOps.env("DB_SECRET_ARN", SECRET, name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(named);
    }

    @Test
    void retainWithoutABucketToArchiveIntoIsRefused() {
        assertThatThrownBy(() -> CareConfig.from(TestOps.env(
                        "DB_SECRET_ARN", SECRET, "PARTITIONED_TABLES", "user_interactions:monthly:3:retain=12")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("BACKUP_BUCKET is not set");
    }

    @Test
    void theSecretIsRequired() {
        assertThatThrownBy(() -> CareConfig.from(TestOps.env()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DB_SECRET_ARN");
    }
}
