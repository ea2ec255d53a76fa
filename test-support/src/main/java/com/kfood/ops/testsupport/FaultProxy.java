package com.kfood.ops.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy between the functions and moto that injects what production throws: throttling in
 * each protocol's own words (Query XML, JSON, S3 REST), 5xx, connection resets and slow answers.
 * moto has no fault injection; this is how the tests get it. Point {@code AWS_ENDPOINT_URL} here.
 */
public final class FaultProxy implements AutoCloseable {
    public enum Fault {
        NONE,
        THROTTLE,
        SERVER_ERROR,
        RESET,
        SLOW,
        /** The request reaches moto and is done, then the answer is lost: the client must cope with a retry. */
        RESET_AFTER
    }

    /** What the proxy knows of a request: the service (from the signature), the operation and the body. */
    public record Call(String service, String operation, int sequence, String body) {}

    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/[^/]+/([^/]+)/aws4_request");
    private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");
    private static final Set<String> HOP_BY_HOP =
            Set.of("host", "content-length", "connection", "transfer-encoding", "expect");

    private final HttpServer server;
    private final URI target;
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<Fault, AtomicInteger> injected = new ConcurrentHashMap<>();
    private volatile Function<Call, Fault> plan = call -> Fault.NONE;
    private volatile long slowMillis = 1500;

    public FaultProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void plan(Function<Call, Fault> plan) {
        this.plan = plan;
    }

    public void slowMillis(long millis) {
        this.slowMillis = millis;
    }

    /** Faults injected so far, by kind. */
    public Map<Fault, Integer> injected() {
        Map<Fault, Integer> out = new TreeMap<>();
        injected.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
        Matcher scope = SCOPE.matcher(auth);
        String service = scope.find() ? scope.group(1) : "unknown";
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        String text = new String(body, StandardCharsets.UTF_8);
        Matcher action = ACTION.matcher(text);
        String operation = target != null
                ? target.substring(target.lastIndexOf('.') + 1)
                : action.find()
                        ? action.group(1)
                        : operationInPath(
                                ex.getRequestMethod(), ex.getRequestURI().getPath());
        Fault fault = plan.apply(new Call(service, operation, sequence.incrementAndGet(), text));
        if (fault != Fault.NONE) {
            injected.computeIfAbsent(fault, k -> new AtomicInteger()).incrementAndGet();
        }
        switch (fault) {
            case RESET -> ex.close(); // no status line: the client sees the connection end
            case THROTTLE -> error(ex, protocol(ex, service), true);
            case SERVER_ERROR -> error(ex, protocol(ex, service), false);
            case SLOW -> {
                sleep(slowMillis);
                forward(ex, body);
            }
            case RESET_AFTER -> {
                forward(ex, body, false);
                ex.close();
            }
            default -> forward(ex, body);
        }
    }

    /** Smithy RPC v2 names the operation last in the path ({@code /service/S/operation/DescribeAlarms}). */
    private static String operationInPath(String method, String path) {
        int at = path.indexOf("/operation/");
        return at >= 0 ? path.substring(at + "/operation/".length()) : method + " " + path;
    }

    /** The service, or {@code rpc-v2-cbor} for a client speaking Smithy RPC v2 (CloudWatch). */
    private static String protocol(HttpExchange ex, String service) {
        return "rpc-v2-cbor".equals(ex.getRequestHeaders().getFirst("smithy-protocol")) ? "rpc-v2-cbor" : service;
    }

    private static void error(HttpExchange ex, String service, boolean throttle) throws IOException {
        int status;
        byte[] body;
        switch (service) {
            case "rpc-v2-cbor" -> {
                // a query-compatible service: the code in x-amzn-query-error, the body in CBOR
                String code = throttle ? "Throttling" : "InternalFailure";
                ex.getResponseHeaders().add("smithy-protocol", "rpc-v2-cbor");
                ex.getResponseHeaders().add("Content-Type", "application/cbor");
                ex.getResponseHeaders().add("x-amzn-query-error", code + (throttle ? ";Sender" : ";Receiver"));
                status = throttle ? 400 : 500;
                body = CBOR.writeValueAsBytes(
                        Map.of("__type", code, "message", throttle ? "Rate exceeded" : "Internal failure"));
            }
            case "s3" -> {
                status = throttle ? 503 : 500;
                body = utf8(
                        throttle
                                ? "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
                                : "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>");
            }
            case "ecs", "secretsmanager" -> {
                status = throttle ? 400 : 500;
                String type = throttle ? "ThrottlingException" : "ServerException";
                ex.getResponseHeaders().add("x-amzn-ErrorType", type);
                ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                body = utf8("{\"__type\":\"" + type + "\",\"message\":\""
                        + (throttle ? "Rate exceeded" : "Service unavailable") + "\"}");
            }
            default -> {
                status = throttle ? 400 : 500;
                body = utf8("<ErrorResponse><Error><Type>" + (throttle ? "Sender" : "Receiver") + "</Type><Code>"
                        + (throttle ? "Throttling" : "InternalFailure") + "</Code><Message>"
                        + (throttle ? "Rate exceeded" : "Internal failure")
                        + "</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>");
                ex.getResponseHeaders().add("Content-Type", "text/xml");
            }
        }
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void forward(HttpExchange ex, byte[] body) throws IOException {
        forward(ex, body, true);
    }

    private void forward(HttpExchange ex, byte[] body, boolean answer) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                target.resolve(ex.getRequestURI().toString()).toURL().openConnection();
        c.setRequestMethod(ex.getRequestMethod());
        c.setInstanceFollowRedirects(false);
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> c.addRequestProperty(name, v));
            }
        });
        if (body.length > 0 || List.of("POST", "PUT").contains(ex.getRequestMethod())) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        byte[] response;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            response = in == null ? new byte[0] : in.readAllBytes();
        }
        if (!answer) {
            return;
        }
        c.getHeaderFields().forEach((name, values) -> {
            if (name != null && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> ex.getResponseHeaders().add(name, v));
            }
        });
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head || response.length == 0 ? -1 : response.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                out.write(response);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
