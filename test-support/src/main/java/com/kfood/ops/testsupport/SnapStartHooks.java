package com.kfood.ops.testsupport;

import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.OpsHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs a handler's SnapStart hooks against an endpoint that counts what reaches it: priming must
 * exercise the AWS request paths (requests stopped) and send nothing.
 */
public final class SnapStartHooks {
    /** What the hooks did: requests that reached the endpoint, requests priming stopped. */
    public record Outcome(int requestsSent, long requestsPrimed) {}

    private SnapStartHooks() {}

    public static Outcome run(Map<String, String> functionVars, Function<Env, OpsHandler> handler) throws IOException {
        AtomicInteger received = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            received.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
        try {
            Map<String, String> vars = new HashMap<>(Map.of(
                    "AWS_REGION",
                    "ap-northeast-2",
                    "AWS_ACCESS_KEY_ID",
                    "x",
                    "AWS_SECRET_ACCESS_KEY",
                    "y",
                    "AWS_ENDPOINT_URL",
                    "http://127.0.0.1:" + server.getAddress().getPort(),
                    "AWS_MAX_ATTEMPTS",
                    "1",
                    "STACK_NAME",
                    "kfood-ops",
                    "NOTIFY_TOPIC_ARN",
                    "arn:aws:sns:ap-northeast-2:123456789012:kfood-ops-notifications"));
            vars.putAll(functionVars);
            OpsHandler h = handler.apply(Env.of(vars));
            long before = AwsClients.primedRequests();
            h.beforeCheckpoint(null);
            h.afterRestore(null);
            return new Outcome(received.get(), AwsClients.primedRequests() - before);
        } finally {
            server.stop(0);
        }
    }
}
