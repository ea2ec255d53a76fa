package com.kfood.ops.shared;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
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
 * any library does), call the function's logic, write the result record, flush metrics. A
 * rejected event or a failed run is logged as one line without a stack trace and rethrown so
 * Lambda counts an error.
 *
 * <p>Each function's Lambda class extends this with its wiring only: Lambda's constructor (no
 * arguments) and the local runtime's and integration tests' ({@link Env}). Unit tests wrap logic
 * they built with fakes in {@link #of}.
 */
public class OpsHandler implements RequestStreamHandler, Resource {
    private final Ops ops;
    private final OpsFunction function;

    /** Builds {@link Ops} for {@code name} from {@code env}, then the function's logic with {@code wire}. */
    protected OpsHandler(String name, Env env, Function<Ops, ? extends OpsFunction> wire) {
        this(Ops.create(name, env), wire);
    }

    private OpsHandler(Ops ops, Function<Ops, ? extends OpsFunction> wire) {
        this(ops, wire.apply(ops));
    }

    @SuppressWarnings("this-escape") // registration only keeps a reference for the checkpoint
    private OpsHandler(Ops ops, OpsFunction function) {
        this.ops = ops;
        this.function = function;
        Core.getGlobalContext().register(this);
    }

    /** A handler around logic the caller built (a unit test's, with fakes). */
    public static OpsHandler of(Ops ops, OpsFunction function) {
        return new OpsHandler(ops, function);
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
        AwsClients.prime(function.primingCalls());
    }

    /** After restore: drop what is bound to the time of the snapshot (cached secrets, say). */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        function.restored();
        ops.log().info("restored from snapshot");
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ops.log().requestId(context == null ? null : context.getAwsRequestId());
        try {
            Object result;
            try {
                result = function.handle(Json.readEvent(input), context);
            } catch (InvalidEventException e) {
                ops.log().warn("event rejected", "reason", e.getMessage());
                result = function.rejected(e);
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
}
