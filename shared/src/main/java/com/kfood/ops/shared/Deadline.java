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

    static Deadline unlimited() {
        return () -> Duration.ofDays(1);
    }
}
