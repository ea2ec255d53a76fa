package com.kfood.ops.deploy;

import java.time.Instant;
import java.util.List;

/** The load balancer's view of a deployment: the seam its verdict's unit tests fake. */
public interface Traffic {
    /** A target group behind its load balancer, as CloudWatch's dimensions name them. */
    record Target(String loadBalancer, String targetGroup) {}

    /** The target groups given by ARN or by name, with their load balancers (a group that none uses is left out). */
    List<Target> targets(List<String> targetGroups);

    /**
     * The targets' minutes from {@code baselineFrom} to {@code to} (the hour before the deployment and its
     * window), and the p95 response time over the window and over the hour before, as CloudWatch computes it.
     */
    TrafficWindow read(List<Target> targets, Instant baselineFrom, Instant from, Instant to);

    /** SnapStart: the request paths, stopped before sending. */
    Runnable[] primingCalls();
}
