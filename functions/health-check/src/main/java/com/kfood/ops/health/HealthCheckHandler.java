package com.kfood.ops.health;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HealthCheckFunction. For now: the HTTP checks of {@code HEALTH_CHECK_URLS} (2xx expected), each
 * with its timeout, as {@code Success} and {@code LatencyMs} metrics; database and cache checks
 * come with their issue and are reported as not configured.
 */
public final class HealthCheckHandler extends OpsHandler {
    /** One check's outcome. */
    public record Check(String name, String target, String status, long latencyMs, String error) {
    }

    /** The function's answer. */
    public record HealthResult(List<Check> checks) {
    }

    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private final List<String> urls;
    private final Duration timeout;
    private final HttpClient http;

    public HealthCheckHandler() {
        this(Env.system());
    }

    public HealthCheckHandler(Env env) {
        this(Ops.create("HealthCheckFunction", env));
    }

    HealthCheckHandler(Ops ops) {
        super(ops);
        this.urls = ops.env().list("HEALTH_CHECK_URLS", URL, "URL");
        this.timeout = Duration.ofMillis(ops.env().integer("CHECK_TIMEOUT_MS", 3000, 100, 60000));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    protected HealthResult handle(JsonNode event, Context context) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("database", null, "NOT_CONFIGURED", 0, null));
        checks.add(new Check("redis", null, "NOT_CONFIGURED", 0, null));
        for (int i = 0; i < urls.size(); i++) {
            checks.add(http("http-" + (i + 1), urls.get(i)));
        }
        for (Check c : checks) {
            if (!c.status().equals("NOT_CONFIGURED")) {
                ops.metrics().put("Success", c.status().equals("OK") ? 1 : 0, OpsMetrics.Unit.COUNT, Map.of("Check", c.name()));
                ops.metrics().put("LatencyMs", c.latencyMs(), OpsMetrics.Unit.MILLISECONDS, Map.of("Check", c.name()));
            }
        }
        return new HealthResult(checks);
    }

    private Check http(String name, String url) {
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            long ms = (System.nanoTime() - start) / 1_000_000;
            boolean ok = response.statusCode() / 100 == 2;
            return new Check(name, url, ok ? "OK" : "FAILED", ms, ok ? null : "HTTP " + response.statusCode());
        } catch (java.io.IOException e) {
            return new Check(name, url, "FAILED", (System.nanoTime() - start) / 1_000_000, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(name, url, "FAILED", (System.nanoTime() - start) / 1_000_000, "interrupted");
        }
    }
}
