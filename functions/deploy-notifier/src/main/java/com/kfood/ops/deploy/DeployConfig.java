package com.kfood.ops.deploy;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Text;
import java.util.List;
import java.util.regex.Pattern;

/**
 * DeployNotifierFunction's configuration, validated at init (the names are a contract with the
 * template): the state bucket of the deduplication markers, whether deployment starts are
 * notified, the dry run (lookups only: no marker, metric or notification is written), whether a
 * deployment users saw pages ({@code DOWNTIME_SEVERITY=critical}) or informs ({@code info}), and
 * the p95 response-time rise (%) its verdict reports; the ECS cluster and services in which a
 * CodeDeploy deployment's task set is looked for.
 */
public record DeployConfig(
        String stateBucket,
        boolean notifyStarts,
        boolean dryRun,
        Verdicts verdicts,
        String ecsCluster,
        List<String> ecsServices) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    /** How a zero-downtime verdict is told: a "no" pages or informs; the p95 rise (%) it reports. */
    public record Verdicts(boolean downtimePages, int latencyRisePercent) {
        public static final Verdicts DEFAULT = new Verdicts(true, 50);
    }

    /** The settings unit tests vary, with the verdict's defaults and no ECS services. */
    static DeployConfig of(String stateBucket, boolean notifyStarts, boolean dryRun) {
        return new DeployConfig(stateBucket, notifyStarts, dryRun, Verdicts.DEFAULT, "kfood-cluster", List.of());
    }

    public static DeployConfig from(Env env) {
        String severity = env.string("DOWNTIME_SEVERITY", "critical");
        if (!severity.equals("critical") && !severity.equals("info")) {
            throw new ConfigException(
                    "DOWNTIME_SEVERITY must be critical or info, got '" + Text.printable(severity, 20) + "'");
        }
        return new DeployConfig(
                env.required("STATE_BUCKET"),
                env.bool("NOTIFY_DEPLOYMENT_STARTS", true),
                env.bool("DRY_RUN", false),
                new Verdicts(severity.equals("critical"), env.integer("LATENCY_RISE_PERCENT", 50, 1, 1000)),
                env.string("ECS_CLUSTER", "kfood-cluster"),
                env.list("ECS_SERVICES", NAME, "ECS service name"));
    }
}
