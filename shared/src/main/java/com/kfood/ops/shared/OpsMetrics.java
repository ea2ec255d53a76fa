package com.kfood.ops.shared;

import java.util.Map;

/** Metrics a function emits; one flush per invocation. */
public interface OpsMetrics {
    enum Unit {
        COUNT,
        MILLISECONDS,
        BYTES,
        NONE
    }

    /** A metric with the function's default dimensions plus {@code dimensions}. */
    void put(String name, double value, Unit unit, Map<String, String> dimensions);

    default void count(String name, double value) {
        put(name, value, Unit.COUNT, Map.of());
    }

    void flush();
}
