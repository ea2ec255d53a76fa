package com.kfood.ops.drill;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A drill run's record ({@code drills/runs/<run>/run.json}): its databases and their instances;
 * {@code reconstructed} when an instance's teardown found no record (the start crashed after the
 * restore).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DrillRun(
        String runId,
        String startedAt,
        String expires,
        Map<String, String> instances,
        Boolean reconstructed,
        String mode) {

    /** The run's report ({@code report.json}), written once every database has its result. */
    record Report(String runId, String mode, String outcome, String reportedAt, List<JsonNode> databases) {}

    static DrillRun reconstructed(String runId, String db, String instance, String mode) {
        return new DrillRun(runId, null, null, Map.of(db, instance), true, mode);
    }
}
