package com.kfood.ops.remediation;

/**
 * What a mutating runbook is about to do to its target, worded for each moment of the notification
 * (what a dry run would do, what was done, what could not be done).
 */
record PlannedAction(Runbook runbook, String target, int fromTasks, int toTasks, boolean failover) {
    static PlannedAction newDeployment(String service) {
        return new PlannedAction(Runbook.ECS_FORCE_NEW_DEPLOYMENT, service, 0, 0, false);
    }

    static PlannedAction scale(String service, int fromTasks, int toTasks) {
        return new PlannedAction(Runbook.ECS_SCALE_OUT, service, fromTasks, toTasks, false);
    }

    static PlannedAction reboot(String db, boolean failover) {
        return new PlannedAction(Runbook.RDS_REBOOT, db, 0, 0, failover);
    }

    /** "scale ecs:c/s from 2 to 3 tasks": after "would" and "could not". */
    String planned() {
        return switch (runbook) {
            case ECS_SCALE_OUT -> "scale " + target + tasks();
            case RDS_REBOOT -> "reboot " + target + withFailover();
            default -> "force a new deployment of " + target;
        };
    }

    /** "scaled ecs:c/s from 2 to 3 tasks": once it is done. A new deployment is reported by ECS's answer instead. */
    String done() {
        return switch (runbook) {
            case ECS_SCALE_OUT -> "scaled " + target + tasks();
            case RDS_REBOOT -> "rebooting " + target + withFailover();
            default -> throw new IllegalStateException(runbook.id + " reports what it did itself");
        };
    }

    private String tasks() {
        return " from " + fromTasks + " to " + toTasks + " tasks";
    }

    private String withFailover() {
        return failover ? " with failover to the standby" : "";
    }
}
