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
import java.util.ArrayList;
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
        Optional<String> localEndpoint,
        Modes modes) {

    /**
     * Which drills the monthly schedule starts, how far back a point-in-time drill may reach, and
     * where the DR drill restores (its region's subnet group and security groups), if anywhere.
     */
    record Modes(List<DrillMode> monthly, Duration pitrWindow, Optional<DrSite> drSite) {}

    /** The DR region's network for a drill instance there. */
    record DrSite(String region, String subnetGroup, List<String> securityGroupIds) {}

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
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT).withZone(ZoneOffset.UTC);

    static DrillConfig from(Env env) {
        List<String> dbs = env.list("DB_INSTANCE_IDS", DB_ID, "RDS instance identifier");
        if (dbs.isEmpty()) {
            throw new ConfigException("DB_INSTANCE_IDS is required: the databases whose newest snapshot is drilled");
        }
        String prefix = snapshotPrefix(env, dbs);
        String instanceClass = instanceClass(env);
        String subnetGroup = subnetGroup(env.required("DRILL_SUBNET_GROUP"), "DRILL_SUBNET_GROUP");
        List<String> groups = securityGroups(env, "DRILL_SECURITY_GROUP_IDS");
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
                localEndpoint(env),
                modes(env));
    }

    private static String subnetGroup(String name, String variable) {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(variable + " is not a DB subnet group name: '" + Text.printable(name, 80) + "'");
        }
        return name;
    }

    private static List<String> securityGroups(Env env, String variable) {
        List<String> groups = env.list(variable, SG, "security group id");
        if (groups.isEmpty()) {
            throw new ConfigException(variable
                    + " is required: a security group that lets only the drill function reach the restored instance");
        }
        return groups;
    }

    private static Modes modes(Env env) {
        List<DrillMode> monthly = new ArrayList<>();
        for (String name : env.string("DRILL_MODES", "snapshot,pointInTime").split(",", -1)) {
            DrillMode mode = DrillMode.of(name.strip())
                    .orElseThrow(() -> new ConfigException("DRILL_MODES names an unknown mode '"
                            + Text.printable(name.strip(), 40) + "' (" + DrillMode.names() + ")"));
            if (monthly.contains(mode)) {
                throw new ConfigException("DRILL_MODES names " + mode.id() + " twice");
            }
            monthly.add(mode);
        }
        Optional<DrSite> site = drSite(env);
        if (monthly.contains(DrillMode.DR_REGION) && site.isEmpty()) {
            throw new ConfigException(
                    "DRILL_MODES names drRegion, but DR_REGION and DRILL_DR_SUBNET_GROUP are not both set");
        }
        return new Modes(
                List.copyOf(monthly), Duration.ofHours(env.integer("DRILL_PITR_WINDOW_HOURS", 24, 1, 24 * 35)), site);
    }

    /** The DR drill's site: DR_REGION with a subnet group there; either alone is no DR drill. */
    private static Optional<DrSite> drSite(Env env) {
        Optional<String> region = env.optional("DR_REGION").filter(r -> !r.isBlank());
        Optional<String> subnets = env.optional("DRILL_DR_SUBNET_GROUP").filter(r -> !r.isBlank());
        if (region.isEmpty() || subnets.isEmpty()) {
            return Optional.empty();
        }
        if (!REGION.matcher(region.get()).matches()) {
            throw new ConfigException("DR_REGION is not an AWS region: '" + Text.printable(region.get(), 40) + "'");
        }
        if (region.get().equals(env.optional("AWS_REGION").orElse(""))) {
            throw new ConfigException("DR_REGION must be another region than the one the drill runs in");
        }
        return Optional.of(new DrSite(
                region.get(),
                subnetGroup(subnets.get(), "DRILL_DR_SUBNET_GROUP"),
                securityGroups(env, "DRILL_DR_SECURITY_GROUP_IDS")));
    }

    private static String snapshotPrefix(Env env, List<String> dbs) {
        String prefix = env.string("SNAPSHOT_PREFIX", "kfood-ops");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new ConfigException("SNAPSHOT_PREFIX must be 1-30 lowercase letters, digits and single hyphens, got '"
                    + Text.printable(prefix, 40) + "'");
        }
        for (String db : dbs) {
            String longest = instanceId(prefix, db, Instant.EPOCH, DrillMode.POINT_IN_TIME);
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

    /**
     * {@code <prefix>-drill-<db>-<yyyymmdd><mode suffix>}: one drill per database, mode and day,
     * whatever the redeliveries.
     */
    static String instanceId(String prefix, String db, Instant day, DrillMode mode) {
        return (prefix + "-drill-" + db + "-" + DAY.format(day) + mode.suffix()).toLowerCase(Locale.ROOT);
    }

    String instanceId(String db, Instant day, DrillMode mode) {
        return instanceId(snapshotPrefix, db, day, mode);
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
