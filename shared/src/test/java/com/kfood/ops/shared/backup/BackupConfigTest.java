package com.kfood.ops.shared.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackupConfigTest {
    private static Env env(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Env.of(m);
    }

    @Test
    void defaultsMatchTheOperationsPlan() {
        BackupConfig c = BackupConfig.from(env());
        assertThat(c.retentionDays()).isEqualTo(30);
        assertThat(c.minSnapshotsKept()).isEqualTo(7);
        assertThat(c.snapshotPrefix()).isEqualTo("kfood-ops");
        assertThat(c.dryRun()).isFalse();
        assertThat(c.sourceBucket()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "RETENTION_DAYS|0|RETENTION_DAYS must be between 1 and 3650, got 0",
                "RETENTION_DAYS|-5|RETENTION_DAYS must be between 1 and 3650, got -5",
                "MIN_SNAPSHOTS_KEPT|0|MIN_SNAPSHOTS_KEPT must be between 1 and 100",
                "DB_INSTANCE_IDS|kfood_db|DB_INSTANCE_IDS has an invalid RDS instance identifier",
                "DB_INSTANCE_IDS|' , '|DB_INSTANCE_IDS is required",
                "SNAPSHOT_PREFIX|Kfood--ops|SNAPSHOT_PREFIX must be",
                "DRY_RUN|sometimes|DRY_RUN must be true or false",
                "BACKUP_SOURCE_BUCKET|kfood-uploads|BACKUP_SOURCE_BUCKET and BACKUP_BUCKET go together",
            })
    void invalidValuesFailWithAClearMessage(String name, String value, String message) {
        assertThatThrownBy(() -> BackupConfig.from(env(name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aDrCopyNamesAKeyOfTheDrRegionAlwaysRdssManagedOneUnlessGivenOne() {
        assertThat(BackupConfig.from(env()).drKmsKeyId()).isEmpty();
        assertThat(BackupConfig.from(env("DR_REGION", "ap-northeast-1", "DR_KMS_KEY_ID", ""))
                        .drKmsKeyId())
                .hasValue("alias/aws/rds");
        String key = "arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assertThat(BackupConfig.from(env("DR_REGION", "ap-northeast-1", "DR_KMS_KEY_ID", key))
                        .drKmsKeyId())
                .hasValue(key);
    }

    @Test
    void theMultipartThresholdIsCopyObjectsLimitUnlessLoweredWithinS3sPartSizes() {
        assertThat(BackupConfig.from(env()).multipartCopyThresholdBytes()).isEqualTo(5L << 30);
        assertThat(BackupConfig.from(env("MULTIPART_COPY_THRESHOLD_MIB", "10")).multipartCopyThresholdBytes())
                .isEqualTo(10L << 20);
        assertThatThrownBy(() -> BackupConfig.from(env("MULTIPART_COPY_THRESHOLD_MIB", "6000")))
                .hasMessageContaining("MULTIPART_COPY_THRESHOLD_MIB must be between 10 and 5120");
    }

    @Test
    void sameBucketForSourceAndBackupIsRefused() {
        assertThatThrownBy(() -> BackupConfig.from(
                        env("BACKUP_SOURCE_BUCKET", "kfood-uploads", "BACKUP_BUCKET", "kfood-uploads")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must differ");
    }

    @Test
    void stackNameIsRequiredBecauseItMarksOwnership() {
        assertThatThrownBy(() -> BackupConfig.from(Env.of(Map.of("DB_INSTANCE_IDS", "kfood-db"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("STACK_NAME is required but not set");
    }
}
