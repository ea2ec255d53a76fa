package com.kfood.ops.shared;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The part every handler shares: read the event as JSON (the function sees hostile input before
 * any library does), call the service, write the result record, flush metrics. A rejected event or
 * a failed run is logged as one line without a stack trace and rethrown so Lambda counts an error.
 */
public abstract class OpsHandler implements RequestStreamHandler {
    protected final Ops ops;

    protected OpsHandler(Ops ops) {
        this.ops = ops;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ops.log().requestId(context == null ? null : context.getAwsRequestId());
        try {
            Object result;
            try {
                result = handle(Json.readEvent(input), context);
            } catch (InvalidEventException e) {
                ops.log().warn("event rejected", "reason", e.getMessage());
                result = rejected(e);
            }
            output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
            output.flush();
        } catch (InvalidEventException e) {
            throw e; // already logged as rejected
        } catch (RuntimeException e) {
            ops.log().error("invocation failed", "error", Errors.describe(e));
            throw e;
        } finally {
            ops.metrics().flush();
        }
    }

    /**
     * The answer to an event the function does not handle. By default the invocation fails (a
     * misrouted schedule should show as an error); a function fed by a topic answers instead, so
     * that a poison message is not retried.
     */
    protected Object rejected(InvalidEventException e) {
        throw e;
    }

    /** Parses the event and runs the service; returns the result record. */
    protected abstract Object handle(JsonNode event, Context context);
}
