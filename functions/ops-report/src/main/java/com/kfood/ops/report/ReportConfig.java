package com.kfood.ops.report;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.Text;
import com.kfood.ops.shared.backup.BackupConfig;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OpsReportFunction's configuration, validated at init (the names are a contract with the
 * template). Every source but the metrics namespace is optional: what is not configured is
 * reported as not available, with the variable that would make it so.
 */
record ReportConfig(
        ZoneId zone,
        double slaTargetPercent,
        Optional<String> reportsBucket,
        Duration linkLifetime,
        String metricsNamespace,
        String ecsCluster,
        List<String> services,
        Optional<String> albFullName,
        List<String> cacheClusterIds,
        String platformLogGroupPrefix,
        BackupConfig backup,
        Optional<String> stateBucket,
        boolean costExplorer,
        boolean securityHub,
        Duration logsQueryTimeout,
        EdgeSource.Limits edge,
        UpkeepLimits upkeep,
        boolean dryRun) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,254}");
    private static final Pattern ALB = Pattern.compile("app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}");
    private static final Pattern CACHE_ID = Pattern.compile("[a-z][a-z0-9-]{0,49}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    static ReportConfig from(Env env) {
        ZoneId zoneId = env.zone("REPORT_TIME_ZONE", "Asia/Seoul");
        String target = env.string("SLA_TARGET_PERCENT", "99.9");
        double sla;
        try {
            sla = Double.parseDouble(target);
        } catch (NumberFormatException e) {
            sla = Double.NaN;
        }
        if (!(sla >= 90 && sla < 100)) {
            throw new ConfigException("SLA_TARGET_PERCENT must be a number from 90 to below 100 (e.g. 99.9), got '"
                    + Text.printable(target, 20) + "'");
        }
        Optional<String> alb = env.optional("ALB_FULL_NAME").filter(s -> !s.isBlank());
        alb.ifPresent(a -> {
            if (!ALB.matcher(a).matches()) {
                throw new ConfigException("ALB_FULL_NAME must be the load balancer's full name (app/<name>/<id>), got '"
                        + Text.printable(a, 80) + "'");
            }
        });
        return new ReportConfig(
                zoneId,
                sla,
                env.optional("REPORTS_BUCKET").filter(s -> !s.isBlank()).map(b -> bucket("REPORTS_BUCKET", b)),
                Duration.ofHours(env.integer("REPORT_LINK_HOURS", 1, 1, 1)),
                env.string("METRICS_NAMESPACE", Ops.DEFAULT_NAMESPACE),
                name(env.string("ECS_CLUSTER", "kfood-cluster"), "ECS_CLUSTER"),
                List.of(
                        name(env.string("BACKEND_SERVICE", "kfood-backend"), "BACKEND_SERVICE"),
                        name(env.string("FRONTEND_SERVICE", "kfood-frontend"), "FRONTEND_SERVICE")),
                alb,
                env.list("CACHE_CLUSTER_IDS", CACHE_ID, "ElastiCache cluster id"),
                logPrefix(env.string("PLATFORM_LOG_GROUP_PREFIX", "/aws/kfood-shorts")),
                BackupConfig.from(env),
                env.optional("STATE_BUCKET").filter(s -> !s.isBlank()).map(b -> bucket("STATE_BUCKET", b)),
                env.bool("COST_EXPLORER", true),
                env.bool("SECURITY_HUB", true),
                Duration.ofSeconds(env.integer("LOGS_QUERY_TIMEOUT_SECONDS", 20, 1, 600)),
                new EdgeSource.Limits(
                        env.integer("CLIENT_ERROR_RATE_PERCENT", 10, 1, 100),
                        env.integer("CLOUDFRONT_5XX_RATE_PERCENT", 1, 1, 100)),
                UpkeepLimits.from(env),
                env.bool("DRY_RUN", false));
    }

    private static String name(String value, String variable) {
        if (!NAME.matcher(value).matches()) {
            throw new ConfigException(variable + " is not an ECS name: '" + Text.printable(value, 60) + "'");
        }
        return value;
    }

    private static String bucket(String variable, String value) {
        if (!BUCKET.matcher(value).matches()) {
            throw new ConfigException(variable + " is not a bucket name: '" + Text.printable(value, 70) + "'");
        }
        return value;
    }

    private static String logPrefix(String value) {
        if (!value.startsWith("/") || !value.matches("[A-Za-z0-9_./#-]{2,200}")) {
            throw new ConfigException(
                    "PLATFORM_LOG_GROUP_PREFIX must be a log group prefix such as /aws/kfood-shorts, got '"
                            + Text.printable(value, 60) + "'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
