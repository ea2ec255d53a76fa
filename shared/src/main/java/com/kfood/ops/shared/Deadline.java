package com.kfood.ops.shared;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Duration;

/** Time left in this invocation; long jobs stop cleanly before Lambda stops them. */
@FunctionalInterface
public interface Deadline {
    Duration remaining();

    default boolean isNear(Duration margin) {
        return remaining().compareTo(margin) < 0;
    }

    static Deadline of(Context context) {
        return () -> Duration.ofMillis(context.getRemainingTimeInMillis());
    }

    /**
     * The sooner of {@code budget} from now and {@code outer} less {@code margin}: a part of an
     * invocation's work that must leave time for what comes after it.
     */
    static Deadline within(Duration budget, Deadline outer, Duration margin) {
        long end = System.nanoTime() + budget.toNanos();
        return () -> {
            Duration own = Duration.ofNanos(end - System.nanoTime());
            Duration rest = outer.remaining().minus(margin);
            return own.compareTo(rest) < 0 ? own : rest;
        };
    }

    static Deadline unlimited() {
        return () -> Duration.ofDays(1);
    }
}
