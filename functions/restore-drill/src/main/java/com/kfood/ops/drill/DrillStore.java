package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Where drills keep what outlives an instance: the run's plan, each database's result, the run's
 * report, and the time of the last passed drill. JSON documents by key; {@link S3DrillStore} keeps
 * them in the stack's state bucket, where reports read the history.
 */
interface DrillStore {
    /** A call of the store, for SnapStart priming (stopped before sending). */
    default Runnable primingCall() {
        return () -> {};
    }

    /** Writes {@code json} unless {@code key} exists; true when this call wrote it. */
    boolean create(String key, String json);

    void put(String key, String json);

    Optional<JsonNode> read(String key);

    /** The keys under {@code prefix}. */
    List<String> keys(String prefix);

    void remove(String key);
}
