package com.kfood.ops.shared;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.crac.Core;
import org.crac.Resource;

/**
 * The part every handler shares: read the event as JSON (the function sees hostile input before
 * any library does), call the service, write the result record, flush metrics. A rejected event or
 * a failed run is logged as one line without a stack trace and rethrown so Lambda counts an error.
 *
 * <p>{@code S} is the function's service, built once per execution environment. A handler has
 * three constructors, each one line: Lambda's (no arguments), the local runtime's and the
 * integration tests' ({@link Env}: wired by the handler's {@code wire}), and the unit tests' (a
 * service the test built).
 *
 * @param <S> the service the handler calls
 */
public abstract class OpsHandler<S> implements RequestStreamHandler, Resource {
    protected final Ops ops;
    protected final S service;

    /** Builds {@link Ops} for {@code function} from {@code env}, then the service with {@code wire}. */
    protected OpsHandler(String function, Env env, Function<Ops, S> wire) {
        this(Ops.create(function, env), wire);
    }

    private OpsHandler(Ops ops, Function<Ops, S> wire) {
        this(ops, wire.apply(ops));
    }

    @SuppressWarnings("this-escape") // registration only keeps a reference for the checkpoint
    protected OpsHandler(Ops ops, S service) {
        this.ops = ops;
        this.service = service;
        Core.getGlobalContext().register(this);
    }

    /**
     * SnapStart: before the snapshot is taken, run the first request's code paths without side
     * effects (every AWS request is stopped before it is sent), so the restored function starts
     * with its classes loaded and initialised.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Json.write(Json.readEvent(new ByteArrayInputStream("{\"primed\":true}".getBytes(StandardCharsets.UTF_8))));
        NotificationFormat.chatbot(
                "kfood-ops/priming",
                Notification.builder(Severity.INFO, "priming", "priming")
                        .fact("a", "b")
                        .build());
        if (service instanceof Primed primed) {
            AwsClients.prime(primed.primingCalls());
        }
    }

    /** After restore: drop what is bound to the time of the snapshot (cached secrets, say). */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        if (service instanceof Primed primed) {
            primed.restored();
        }
        ops.log().info("restored from snapshot");
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
