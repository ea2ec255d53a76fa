package com.kfood.ops.drill;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** A line of a drill invocation's result: one per database, instance or run it touched. */
sealed interface DrillLine permits DrillLine.Planned, DrillLine.Said, DbResult {
    String outcome();

    /**
     * A restore started or, in a dry run, the one that would be: every setting it asks RDS for. A
     * snapshot's restore names the snapshot and its age; a point-in-time one its source instance
     * and the time it restores to.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Planned(
            String db,
            String outcome,
            String snapshot,
            Double snapshotAgeHours,
            String sourceInstance,
            String restoreTo,
            String instance,
            String instanceClass,
            boolean multiAZ,
            boolean publiclyAccessible,
            String subnetGroup,
            List<String> securityGroups,
            String credentials,
            Map<String, String> tags)
            implements DrillLine {}

    /** What became of a database, an instance or a run, in a few words (only the names it concerns). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Said(String db, String instance, String run, String outcome) implements DrillLine {
        static Said db(String db, String outcome) {
            return new Said(db, null, null, outcome);
        }

        static Said instance(String instance, String outcome) {
            return new Said(null, instance, null, outcome);
        }

        static Said run(String run, String outcome) {
            return new Said(null, null, run, outcome);
        }
    }
}
