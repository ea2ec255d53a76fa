package com.kfood.ops.drill;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.math.BigDecimal;
import java.util.List;

/**
 * One database's drill result, as the run's record keeps it ({@code drills/runs/<run>/<db>.json})
 * and the report reads it: where the instance came from, whether it passed, what the validation
 * measured, and what the teardown did and cost. A part that did not happen is absent, not null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DbResult(
        String db,
        String runId,
        String mode,
        String instance,
        @JsonUnwrapped Source source,
        String observedBy,
        String outcome,
        String failure,
        @JsonUnwrapped Checked checked,
        @JsonUnwrapped Teardown teardown)
        implements DrillLine {

    /** The snapshot the instance was restored from, or the instance and time it was restored to, as its tags say. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Source(
            String snapshot,
            String sourceInstance,
            String snapshotCreated,
            String restoreTo,
            String restoreStartedAt,
            Double snapshotAgeHours) {}

    /** What the validation measured over its connection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Checked(
            String availableAt,
            String validatedAt,
            double restoreMinutes,
            double validatedMinutes,
            Long dataLagMinutes,
            Long recoveryLagSeconds,
            String newestRow,
            String validatedAgainst,
            List<Validation.Step> steps) {}

    /** The instance's deletion ({@code deletion} says why it is pending) and what it cost. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Teardown(String deletion, String deletedAt, double instanceHours, BigDecimal estimatedCostUsd) {}

    /** A database's drill that ended before there was an instance to validate. */
    static DbResult without(String runId, String mode, String db, String instance, String why) {
        return new DbResult(db, runId, mode, instance, null, null, "FAIL", why, null, null);
    }

    DbResult with(Teardown done) {
        return new DbResult(db, runId, mode, instance, source, observedBy, outcome, failure, checked, done);
    }
}
