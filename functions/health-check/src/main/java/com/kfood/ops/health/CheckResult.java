package com.kfood.ops.health;

/**
 * One check's outcome. {@code error} is short and safe to show: no stack trace, no password, no
 * connection string.
 */
public record CheckResult(String name, String target, Status status, long latencyMs, String detail, String error) {
    public enum Status {
        OK,
        DEGRADED,
        FAILED,
        TIMEOUT,
        NOT_CONFIGURED;

        public boolean up() {
            return this == OK || this == DEGRADED;
        }
    }

    static CheckResult notConfigured(String name, String missing) {
        return new CheckResult(
                name, null, Status.NOT_CONFIGURED, 0, "not configured: " + missing + " is not set", null);
    }
}
