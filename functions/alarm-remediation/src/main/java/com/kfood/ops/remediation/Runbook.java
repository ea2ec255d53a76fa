package com.kfood.ops.remediation;

import java.util.Arrays;

/** The actions a rule can take. */
public enum Runbook {
    ECS_FORCE_NEW_DEPLOYMENT("ecs-force-new-deployment", true),
    ECS_SCALE_OUT("ecs-scale-out", true),
    RDS_DIAGNOSE("rds-diagnose", false),
    RDS_REBOOT("rds-reboot", true),
    NOTIFY("notify", false);

    public final String id;
    /** Whether it changes something, and so goes through the guard rails. */
    public final boolean mutating;

    Runbook(String id, boolean mutating) {
        this.id = id;
        this.mutating = mutating;
    }

    static Runbook of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }
}
