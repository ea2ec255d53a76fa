package com.kfood.ops.remediation;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * AlarmRemediationFunction's configuration, validated at init (the names are a contract with the
 * template): the runbook rules (RUNBOOK_RULES, or the shipped defaults acting on ECS_CLUSTER,
 * BACKEND_SERVICE, FRONTEND_SERVICE and PRIMARY_DB), the opt-in reboot, the guard rails, how long
 * a scale-out holds an autoscaling minimum raised (MINIMUM_HOLD_MINUTES), the state bucket that
 * keeps the incidents (STATE_BUCKET; the template always sets it, and without it no incident log is
 * kept), the alarms it may act for (ALARM_PREFIXES: name prefixes, by default the stack's
 * {@code STACK_NAME-}; an action waits for CloudWatch to confirm the alarm is one of them and in
 * ALARM), and the dry run.
 */
public record RemediationConfig(
        RuleSet rules,
        Cooldown cooldown,
        Duration minimumHold,
        Optional<String> stateBucket,
        List<String> alarmPrefixes,
        boolean dryRun) {
    /** A prefix of CloudWatch alarm names: the characters an alarm name may hold, no wildcard. */
    private static final Pattern ALARM_PREFIX = Pattern.compile("[^*?,\\p{Cntrl}]{3,255}");

    public static RemediationConfig from(Env env) {
        boolean allowReboot = env.bool("ALLOW_RDS_REBOOT", false);
        RuleSet rules = env.optional("RUNBOOK_RULES")
                .map(json -> RuleSet.parse(json, allowReboot))
                .orElseGet(() -> RuleSet.defaults(env, allowReboot));
        Cooldown cooldown = new Cooldown(
                Duration.ofMinutes(env.integer("COOLDOWN_MINUTES", 15, 0, 24 * 60)),
                // the cap counts the actions the target's tag keeps: a larger one could never be reached
                env.integer("MAX_ACTIONS_PER_HOUR", 3, 1, Cooldown.KEPT));
        return new RemediationConfig(
                rules,
                cooldown,
                Duration.ofMinutes(env.integer("MINIMUM_HOLD_MINUTES", 30, 5, 12 * 60)),
                env.optional("STATE_BUCKET"),
                alarmPrefixes(env),
                env.bool("DRY_RUN", false));
    }

    private static List<String> alarmPrefixes(Env env) {
        List<String> prefixes = env.list("ALARM_PREFIXES", ALARM_PREFIX, "alarm name prefix (3 characters or more)");
        if (!prefixes.isEmpty()) {
            return prefixes;
        }
        String stack = env.required("STACK_NAME") + "-";
        if (!ALARM_PREFIX.matcher(stack).matches()) {
            throw new ConfigException("STACK_NAME cannot prefix alarm names: set ALARM_PREFIXES");
        }
        return List.of(stack);
    }
}
