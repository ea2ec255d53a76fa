package com.kfood.ops.deploy;

import java.time.Instant;
import java.util.List;

/**
 * Where a deployment's traffic flows and since when: what its zero-downtime verdict reads.
 *
 * @param startedAt when ECS created the deployment or CodeDeploy started it; null when unknown
 * @param targetGroups the load balancer target groups in front of it: ARNs (ECS) or names (CodeDeploy's
 *     deployment group names its blue and green groups by name); empty when it has none
 * @param unknown why the lookup failed, or null
 */
public record Placement(Instant startedAt, List<String> targetGroups, String unknown) {
    public Placement {
        targetGroups = List.copyOf(targetGroups);
    }

    static Placement of(Instant startedAt, List<String> targetGroups) {
        return new Placement(startedAt, targetGroups, null);
    }

    static Placement unknown(String why) {
        return new Placement(null, List.of(), why);
    }
}
