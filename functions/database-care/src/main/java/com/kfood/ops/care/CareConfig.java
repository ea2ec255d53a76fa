package com.kfood.ops.care;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.DbSsl;
import com.kfood.ops.shared.Env;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * DatabaseCareFunction's configuration, validated at init (the names are a contract with the
 * template). {@code DB_SECRET_ARN} is the care role's secret, not the master user's: the role may
 * read the statistics views and create partitions, nothing else (docs/operations.md, Database care).
 */
record CareConfig(
        String dbSecretArn,
        String dbSslMode,
        List<PartitionSpec> tables,
        ZoneId zone,
        Duration longTransaction,
        int queryTimeoutSeconds,
        int lockTimeoutSeconds,
        Duration secretTtl,
        Optional<String> archiveBucket,
        boolean dryRun) {

    static CareConfig from(Env env) {
        String secret = env.arn("DB_SECRET_ARN", "secretsmanager")
                .orElseThrow(() -> new ConfigException("DB_SECRET_ARN is required: the database care role's secret"));
        List<PartitionSpec> tables = PartitionSpec.parse(env.string("PARTITIONED_TABLES", ""));
        Optional<String> bucket = env.optional("BACKUP_BUCKET").filter(b -> !b.isBlank());
        if (bucket.isEmpty() && tables.stream().anyMatch(t -> t.retain() > 0)) {
            throw new ConfigException("PARTITIONED_TABLES sets retain, which archives partitions into BACKUP_BUCKET;"
                    + " BACKUP_BUCKET is not set");
        }
        return new CareConfig(
                secret,
                DbSsl.mode(env),
                tables,
                env.zone("PARTITION_TIME_ZONE", "UTC"),
                Duration.ofSeconds(env.integer("LONG_TRANSACTION_SECONDS", 300, 10, 86_400)),
                env.integer("QUERY_TIMEOUT_SECONDS", 30, 1, 300),
                // how long a partition's DDL may wait for the table's lock: the application queues behind it
                env.integer("DDL_LOCK_TIMEOUT_SECONDS", 5, 1, 60),
                Duration.ofSeconds(env.integer("SECRET_TTL_SECONDS", 300, 0, 86_400)),
                bucket,
                env.bool("DRY_RUN", false));
    }
}
