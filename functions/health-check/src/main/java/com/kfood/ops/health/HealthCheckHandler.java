package com.kfood.ops.health;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.ScheduleTrigger;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import redis.clients.jedis.HostAndPort;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * HealthCheckFunction: every minute, the database, cache and HTTP checks in parallel, started by the
 * schedule's event or a manual {@code {}}. A check without configuration is reported as not
 * configured, not as failed.
 */
public final class HealthCheckHandler extends OpsHandler {
    private static final Pattern URL = Pattern.compile("https?://[^\\s,]+");
    private static final Pattern STATUS = Pattern.compile("[1-5](\\d\\d|xx)");

    private final HealthRun run;
    private final SecretCache secrets;

    public HealthCheckHandler() {
        this(Env.system());
    }

    public HealthCheckHandler(Env env) {
        this(Ops.create("HealthCheckFunction", env));
    }

    HealthCheckHandler(Ops ops) {
        this(ops, secretCache(ops));
    }

    private HealthCheckHandler(Ops ops, SecretCache secrets) {
        this(ops, wire(ops, secrets), secrets);
    }

    HealthCheckHandler(Ops ops, HealthRun run, SecretCache secrets) {
        super(ops);
        this.run = run;
        this.secrets = secrets;
    }

    /** Null when no check reads a secret. */
    private static SecretCache secretCache(Ops ops) {
        Env env = ops.env();
        if (env.arn("DB_SECRET_ARN", "secretsmanager").isEmpty() && env.arn("REDIS_AUTH_SECRET_ARN", "secretsmanager").isEmpty()) {
            return null;
        }
        SecretsManagerClient secretsManager = ops.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER");
        return new SecretCache(arn -> secretsManager.getSecretValue(b -> b.secretId(arn)).secretString(), ops.clock(),
                Duration.ofSeconds(env.integer("SECRET_TTL_SECONDS", 300, 0, 86_400)));
    }

    static HealthRun wire(Ops ops, SecretCache secrets) {
        Env env = ops.env();
        int timeoutMs = env.integer("CHECK_TIMEOUT_MS", 3000, 100, 30_000);
        int degradedMs = env.integer("DEGRADED_MS", 1000, 1, 30_000);
        var dbSecret = env.arn("DB_SECRET_ARN", "secretsmanager");
        var redisSecret = env.arn("REDIS_AUTH_SECRET_ARN", "secretsmanager");
        List<HealthCheck> checks = new ArrayList<>();
        List<CheckResult> notConfigured = new ArrayList<>();
        if (dbSecret.isPresent()) {
            checks.add(new DatabaseCheck(dbSecret.get(), secrets, timeoutMs, env.string("DB_SSLMODE", "require")));
        } else {
            notConfigured.add(CheckResult.notConfigured("database", "DB_SECRET_ARN"));
        }
        var redis = env.optional("REDIS_ENDPOINT");
        if (redis.isPresent()) {
            checks.add(new RedisCheck(endpoint(redis.get()), env.bool("REDIS_TLS", false), redisSecret.orElse(null), secrets, timeoutMs));
        } else {
            notConfigured.add(CheckResult.notConfigured("redis", "REDIS_ENDPOINT"));
        }
        List<String> urls = env.list("HEALTH_CHECK_URLS", URL, "URL");
        String expectStatus = env.string("HTTP_EXPECT_STATUS", "2xx");
        if (!STATUS.matcher(expectStatus).matches()) {
            throw new ConfigException("HTTP_EXPECT_STATUS must be a status code or a class like 2xx, got '" + expectStatus + "'");
        }
        // java.net.http starts threads and selectors: only when there is a URL to check
        HttpClient http = urls.isEmpty() ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs)).followRedirects(HttpClient.Redirect.NEVER).build();
        for (int i = 0; i < urls.size(); i++) {
            checks.add(new HttpCheck("http-" + (i + 1), URI.create(urls.get(i)), expectStatus, env.optional("HTTP_EXPECT_BODY").orElse(null),
                    Duration.ofMillis(timeoutMs), http));
        }
        if (urls.isEmpty()) {
            notConfigured.add(CheckResult.notConfigured("http", "HEALTH_CHECK_URLS"));
        }
        return new HealthRun(checks, notConfigured, timeoutMs, degradedMs, ops.metrics());
    }

    private static HostAndPort endpoint(String value) {
        int colon = value.lastIndexOf(':');
        try {
            if (colon <= 0) {
                return new HostAndPort(value, 6379);
            }
            return new HostAndPort(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new ConfigException("REDIS_ENDPOINT must be host:port, got '" + com.kfood.ops.shared.Text.printable(value, 80) + "'");
        }
    }

    @Override
    protected Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(run.primingCalls()));
        if (secrets != null) {
            calls.add(secrets.primingCall());
        }
        return calls.toArray(Runnable[]::new);
    }

    @Override
    protected void restored() {
        if (secrets != null) {
            secrets.clear();
        }
    }

    @Override
    protected HealthRun.HealthResult handle(JsonNode event, Context context) {
        ScheduleTrigger.parse(event, ops.clock()); // the schedule's event or a manual {}; anything else is rejected
        HealthRun.HealthResult result = run.run();
        ops.log().info("health checks", "healthy", result.healthy(), "runMs", result.runMs());
        return result;
    }
}
