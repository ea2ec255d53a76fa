package com.kfood.ops.report;

/**
 * Availability against the SLA from the health check's {@code Success} metric, one datapoint per
 * check per minute (1 up, 0 down): the window's Sum is the good minutes, its SampleCount the measured
 * ones; minutes without a datapoint are "not measured", counted apart and never as up or down.
 *
 * @param good          minutes up
 * @param measured      minutes with a datapoint
 * @param windowMinutes the window's length
 * @param targetPercent the SLA target, e.g. 99.9
 */
record Sla(double good, double measured, long windowMinutes, double targetPercent) {

    /** Share of measured minutes that were up, in percent; NaN when nothing was measured. */
    double availabilityPercent() {
        return measured <= 0 ? Double.NaN : 100.0 * good / measured;
    }

    double badMinutes() {
        return Math.max(0, measured - good);
    }

    double notMeasuredMinutes() {
        return Math.max(0, windowMinutes - measured);
    }

    /** The minutes of downtime the target allows over the measured minutes. */
    double budgetMinutes() {
        return measured * (1 - targetPercent / 100.0);
    }

    double budgetLeftMinutes() {
        return budgetMinutes() - badMinutes();
    }

    /** Downtime against what the target allows for this window: 1.0 spends exactly the budget. */
    double burnRate() {
        double budget = budgetMinutes();
        return budget <= 0 ? (badMinutes() > 0 ? Double.POSITIVE_INFINITY : 0) : badMinutes() / budget;
    }

    boolean compliant() {
        return measured > 0 && availabilityPercent() >= targetPercent;
    }

    Verdict verdict() {
        if (measured <= 0) {
            return Verdict.UNKNOWN;
        }
        if (!compliant()) {
            return Verdict.ACT;
        }
        return burnRate() > 0.5 || notMeasuredMinutes() > windowMinutes * 0.01 ? Verdict.WATCH : Verdict.OK;
    }
}
