package com.kfood.ops.deploy;

/** What a deployment notification adds to the event: facts looked up about its service. */
public interface Enricher {
    /** Best-effort facts; a lookup that fails is recorded in the result, never thrown. */
    Enrichment enrich(DeployEvent event);

    /** Where a deployment's traffic flows and since when (for its zero-downtime verdict); never throws. */
    Placement placement(DeployEvent event);

    /** Whether the service is in the middle of a deployment (task stops then belong to it). */
    boolean deploying(DeployEvent event);

    /** Each lookup, for SnapStart priming (stopped before sending). */
    Runnable[] primingCalls();
}
