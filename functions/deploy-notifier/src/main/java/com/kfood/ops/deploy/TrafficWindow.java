package com.kfood.ops.deploy;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The load balancer's minutes around a deployment, summed over its target groups (a blue/green
 * deployment has two), and the p95 response time of the window and of the hour before.
 */
public record TrafficWindow(List<Minute> minutes, OptionalDouble p95Window, OptionalDouble p95Before) {
    /**
     * One minute; a null value is a minute without a datapoint (a count without one was zero only if
     * the group was measured at all that minute: HealthyHostCount is published every minute).
     */
    public record Minute(
            Instant at, Double healthy, Double unhealthy, Double target5xx, Double elb5xx, Double requests) {
        boolean measured() {
            return healthy != null || requests != null;
        }

        double targetErrors() {
            return target5xx == null ? 0 : target5xx;
        }

        double elbErrors() {
            return elb5xx == null ? 0 : elb5xx;
        }
    }

    public TrafficWindow {
        minutes = List.copyOf(minutes);
    }
}
