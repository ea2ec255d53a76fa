package com.kfood.ops.deploy;

import com.kfood.ops.deploy.TrafficWindow.Minute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A load balancer as CloudWatch would describe it: every minute two healthy hosts, 100 requests and
 * no errors, p95 200 ms, unless a test changes minutes ({@link #at}) or takes them away ({@link #gap}).
 */
final class FakeTraffic implements Traffic {
    static final List<Target> ONE_GROUP = List.of(new Target("app/kfood-alb/1", "targetgroup/kfood-backend/1"));

    private final Map<Instant, UnaryOperator<Minute>> changes = new HashMap<>();
    private Instant gapFrom = Instant.MAX;
    private Instant gapTo = Instant.MIN;
    double p95Window = 0.2;
    double p95Before = 0.2;
    List<Target> targets = ONE_GROUP;
    SdkException failure;
    /** What the verdict asked for: the hour before's start, the window's start and end. */
    Instant askedBaselineFrom;

    Instant askedFrom;
    Instant askedTo;

    static Minute normal(Instant at) {
        return new Minute(at, 2.0, 0.0, 0.0, 0.0, 100.0);
    }

    /** Changes the minute starting at {@code at}. */
    FakeTraffic at(Instant at, UnaryOperator<Minute> change) {
        changes.merge(at, change, (a, b) -> m -> b.apply(a.apply(m)));
        return this;
    }

    /** No datapoint at all from {@code from} (inclusive) to {@code to}. */
    FakeTraffic gap(Instant from, Instant to) {
        gapFrom = from;
        gapTo = to;
        return this;
    }

    @Override
    public List<Target> targets(List<String> targetGroups) {
        if (failure != null) {
            throw failure;
        }
        return targets;
    }

    @Override
    public TrafficWindow read(List<Target> targets, Instant baselineFrom, Instant from, Instant to) {
        askedBaselineFrom = baselineFrom;
        askedFrom = from;
        askedTo = to;
        List<Minute> minutes = new ArrayList<>();
        for (Instant t = baselineFrom; t.isBefore(to); t = t.plus(Duration.ofMinutes(1))) {
            if (!t.isBefore(gapFrom) && t.isBefore(gapTo)) {
                continue;
            }
            minutes.add(changes.getOrDefault(t, UnaryOperator.identity()).apply(normal(t)));
        }
        return new TrafficWindow(minutes, OptionalDouble.of(p95Window), OptionalDouble.of(p95Before));
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[0];
    }
}
