package com.kfood.ops.remediation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What a mutating runbook is about to do to its target, worded for each moment of the notification
 * (what a dry run would do, what was done, what could not be done).
 *
 * @param holdUntil for a scale-out through autoscaling: when the raised minimum returns to {@code restoreTo}
 */
record PlannedAction(
        Runbook runbook,
        String target,
        int fromTasks,
        int toTasks,
        boolean failover,
        int restoreTo,
        Instant holdUntil) {
    private static final DateTimeFormatter HHMM =
            DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    static PlannedAction newDeployment(String service) {
        return new PlannedAction(Runbook.ECS_FORCE_NEW_DEPLOYMENT, service, 0, 0, false, 0, null);
    }

    static PlannedAction scale(String service, int fromTasks, int toTasks) {
        return new PlannedAction(Runbook.ECS_SCALE_OUT, service, fromTasks, toTasks, false, 0, null);
    }

    /** A scale-out that autoscaling carries out: its minimum raised for a bounded time. */
    static PlannedAction holdMinimum(String service, int fromMin, int toMin, int restoreTo, Instant until) {
        return new PlannedAction(Runbook.ECS_SCALE_OUT, service, fromMin, toMin, false, restoreTo, until);
    }

    static PlannedAction reboot(String db, boolean failover) {
        return new PlannedAction(Runbook.RDS_REBOOT, db, 0, 0, failover, 0, null);
    }

    /** "scale ecs:c/s from 2 to 3 tasks": after "would" and "could not". */
    String planned() {
        if (holdUntil != null) {
            return "raise the autoscaling minimum of " + target + tasks() + " until " + HHMM.format(holdUntil);
        }
        return switch (runbook) {
            case ECS_SCALE_OUT -> "scale " + target + tasks();
            case RDS_REBOOT -> "reboot " + target + withFailover();
            default -> "force a new deployment of " + target;
        };
    }

    /** "scaled ecs:c/s from 2 to 3 tasks": once it is done. A new deployment is reported by ECS's answer instead. */
    String done() {
        if (holdUntil != null) {
            return "raised the autoscaling minimum of " + target + tasks() + ": autoscaling adds the tasks and"
                    + " keeps them; the minimum returns to " + restoreTo + " on OK, or at " + HHMM.format(holdUntil)
                    + " by autoscaling's own scheduled action";
        }
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
