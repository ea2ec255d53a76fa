package com.kfood.ops.deploy;

import com.kfood.ops.shared.Env;

/**
 * DeployNotifierFunction's configuration, validated at init (the names are a contract with the
 * template): the state bucket of the deduplication markers, whether deployment starts are
 * notified, and the dry run (lookups only: no marker, metric or notification is written).
 */
public record DeployConfig(String stateBucket, boolean notifyStarts, boolean dryRun) {
    public static DeployConfig from(Env env) {
        return new DeployConfig(
                env.required("STATE_BUCKET"), env.bool("NOTIFY_DEPLOYMENT_STARTS", true), env.bool("DRY_RUN", false));
    }
}
