package com.kfood.ops.drill;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.DbSsl;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Text;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * RestoreDrillFunction's configuration, validated at init (the names are a contract with the
 * template). The drill restores what the snapshot function made: the same databases, prefix and
 * stack tag.
 *
 * @param localEndpoint the emulator's stand-in for the restored instance's endpoint ({@code host:port}):
 *     moto restores instantly but nothing listens at the endpoint it returns. Honoured only when the
 *     AWS endpoint is on this machine, so a deployed function can never be pointed elsewhere.
 */
record DrillConfig(
        List<String> dbInstanceIds,
        String snapshotPrefix,
        String managedBy,
        String instanceClass,
        String subnetGroup,
        List<String> securityGroupIds,
        String database,
        String sslMode,
        List<String> tables,
        List<DrillCheck> checks,
        Optional<Freshness> freshness,
        Duration expiresAfter,
        BigDecimal hourlyPriceUsd,
        String stateBucket,
        int queryTimeoutSeconds,
        Duration validationBudget,
        boolean dryRun,
        Optional<String> localEndpoint) {

    /** RDS's limit on an instance identifier. */
    static final int MAX_ID = 63;

    private static final Pattern DB_ID = Pattern.compile("[A-Za-z](?:-?[A-Za-z0-9])*");
    private static final Pattern PREFIX = Pattern.compile("[a-z](?:-?[a-z0-9]){0,29}");
    private static final Pattern CLASS = Pattern.compile("db\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9 ._-]{0,254}");
    private static final Pattern SG = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern TABLE = Pattern.compile("(?:[a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT).withZone(ZoneOffset.UTC);

    static DrillConfig from(Env env) {
        List<String> dbs = env.list("DB_INSTANCE_IDS", DB_ID, "RDS instance identifier");
        if (dbs.isEmpty()) {
            throw new ConfigException("DB_INSTANCE_IDS is required: the databases whose newest snapshot is drilled");
        }
        String prefix = snapshotPrefix(env, dbs);
        String instanceClass = instanceClass(env);
        String subnetGroup = env.required("DRILL_SUBNET_GROUP");
        if (!NAME.matcher(subnetGroup).matches()) {
            throw new ConfigException(
                    "DRILL_SUBNET_GROUP is not a DB subnet group name: '" + Text.printable(subnetGroup, 80) + "'");
        }
        List<String> groups = env.list("DRILL_SECURITY_GROUP_IDS", SG, "security group id");
        if (groups.isEmpty()) {
            throw new ConfigException(
                    "DRILL_SECURITY_GROUP_IDS is required: a security group that lets only the drill function reach the restored instance");
        }
        String database = env.string("DRILL_DATABASE", "postgres");
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new ConfigException(
                    "DRILL_DATABASE must be a plain database name, got '" + Text.printable(database, 70) + "'");
        }
        String bucket = env.required("STATE_BUCKET");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new ConfigException(
                    "STATE_BUCKET is not a valid S3 bucket name: '" + Text.printable(bucket, 80) + "'");
        }
        BigDecimal price = hourlyPrice(env);
        return new DrillConfig(
                dbs,
                prefix,
                env.required("STACK_NAME"),
                instanceClass,
                subnetGroup,
                groups,
                database,
                DbSsl.mode(env),
                env.list("DRILL_TABLES", TABLE, "table name"),
                DrillCheck.parse(env.string("DRILL_CHECKS", "")),
                Freshness.parse(
                        env.string("DRILL_FRESHNESS", ""),
                        Duration.ofMinutes(env.integer("DRILL_FRESHNESS_TOLERANCE_MINUTES", 60, 0, 10_080)),
                        env.zone("DRILL_FRESHNESS_ZONE", "UTC")),
                Duration.ofHours(env.integer("DRILL_EXPIRES_HOURS", 6, 1, 48)),
                price,
                bucket,
                env.integer("QUERY_TIMEOUT_SECONDS", 30, 1, 300),
                // all validation steps of one invocation, below the function's timeout of 300 s
                Duration.ofSeconds(env.integer("DRILL_VALIDATION_BUDGET_SECONDS", 200, 10, 240)),
                env.bool("DRY_RUN", false),
                localEndpoint(env));
    }

    private static String snapshotPrefix(Env env, List<String> dbs) {
        String prefix = env.string("SNAPSHOT_PREFIX", "kfood-ops");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new ConfigException("SNAPSHOT_PREFIX must be 1-30 lowercase letters, digits and single hyphens, got '"
                    + Text.printable(prefix, 40) + "'");
        }
        for (String db : dbs) {
            String longest = instanceId(prefix, db, Instant.EPOCH);
            if (longest.length() > MAX_ID) {
                throw new ConfigException("the drill instance for " + db + " would be named " + longest + " ("
                        + longest.length() + " characters; RDS allows " + MAX_ID + "): shorten SNAPSHOT_PREFIX");
            }
        }
        return prefix;
    }

    private static String instanceClass(Env env) {
        String instanceClass = env.string("DRILL_INSTANCE_CLASS", "db.t4g.micro");
        if (!CLASS.matcher(instanceClass).matches()) {
            throw new ConfigException("DRILL_INSTANCE_CLASS must be an RDS class such as db.t4g.micro, got '"
                    + Text.printable(instanceClass, 40) + "'");
        }
        return instanceClass;
    }

    private static BigDecimal hourlyPrice(Env env) {
        BigDecimal price;
        try {
            price = new BigDecimal(env.string("DRILL_HOURLY_PRICE_USD", "0.025"));
        } catch (NumberFormatException e) {
            throw new ConfigException("DRILL_HOURLY_PRICE_USD must be a decimal number of US dollars per hour");
        }
        if (price.signum() < 0 || price.compareTo(BigDecimal.valueOf(1000)) > 0) {
            throw new ConfigException("DRILL_HOURLY_PRICE_USD must be between 0 and 1000");
        }
        return price;
    }

    /** {@code <prefix>-drill-<db>-<yyyymmdd>}: one drill per database and day, whatever the redeliveries. */
    static String instanceId(String prefix, String db, Instant day) {
        return (prefix + "-drill-" + db + "-" + DAY.format(day)).toLowerCase(Locale.ROOT);
    }

    String instanceId(String db, Instant day) {
        return instanceId(snapshotPrefix, db, day);
    }

    /** The start every drill instance's name has; an instance is still only ours with our tags. */
    String instancePrefix() {
        return snapshotPrefix + "-drill-";
    }

    private static Optional<String> localEndpoint(Env env) {
        Optional<String> override = env.optional("DRILL_DB_ENDPOINT_OVERRIDE");
        if (override.isEmpty()) {
            return override;
        }
        String aws = env.string("AWS_ENDPOINT_URL", "");
        String host;
        try {
            host = aws.isEmpty() ? "" : URI.create(aws).getHost();
        } catch (IllegalArgumentException e) {
            host = "";
        }
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
            throw new ConfigException(
                    "DRILL_DB_ENDPOINT_OVERRIDE is for the local emulator only (AWS_ENDPOINT_URL on 127.0.0.1)");
        }
        if (!HOST_PORT.matcher(override.get()).matches()) {
            throw new ConfigException("DRILL_DB_ENDPOINT_OVERRIDE must be host:port");
        }
        return override;
    }
}
