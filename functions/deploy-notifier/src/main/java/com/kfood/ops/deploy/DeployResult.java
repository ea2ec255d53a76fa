package com.kfood.ops.deploy;

import java.util.List;

/** DeployNotifierFunction's answer for one event. */
public record DeployResult(
        String eventId,
        String kind,
        String subject,
        String event,
        Outcome outcome,
        String detail,
        boolean notified,
        List<String> lookupErrors) {

    public enum Outcome {
        NOTIFIED,
        QUIET,
        DUPLICATE,
        RATE_LIMITED,
        IGNORED,
        /** DRY_RUN: what would have been notified; no marker, metric or message was written. */
        DRY_RUN
    }

    static DeployResult ignored(String why) {
        return new DeployResult(null, null, null, null, Outcome.IGNORED, why, false, List.of());
    }
}
