package com.kfood.ops.shared;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function's logic behind the shared {@link OpsHandler}: the event (already read as JSON) in,
 * the result record out. The function's Lambda class only wires it.
 */
public interface OpsFunction extends Primed {
    /** Parses the event and runs the service; returns the result record. */
    Object handle(JsonNode event, Context context);

    /**
     * The answer to an event the function does not handle. By default the invocation fails (a
     * misrouted schedule should show as an error); a function fed by a topic answers instead, so
     * that a poison message is not retried.
     */
    default Object rejected(InvalidEventException e) {
        throw e;
    }

    @Override
    default Runnable[] primingCalls() {
        return new Runnable[0];
    }
}
