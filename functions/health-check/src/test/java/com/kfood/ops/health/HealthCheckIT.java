package com.kfood.ops.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.Emulator;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The checks against the machine's real PostgreSQL and Redis on 127.0.0.1, a secret in moto's
 * Secrets Manager, and a local HTTP server that can answer, answer slowly, fail or hang.
 */
@ExtendWith(MotoExtension.class)
class HealthCheckIT {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private Moto moto;
    private SecretsManagerClient secrets;
    private HttpServer http;
    private final CountDownLatch together = new CountDownLatch(2);

    @BeforeEach
    void setUp(Moto moto) throws IOException {
        this.moto = moto;
        secrets = moto.aws().build(SecretsManagerClient.builder(), "SECRETS_MANAGER");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/health", ex -> answer(ex, 200, "{\"status\":\"UP\"}", 0));
        http.createContext("/slow", ex -> answer(ex, 200, "{\"status\":\"UP\"}", 500));
        http.createContext("/fail", ex -> answer(ex, 500, "boom", 0));
        http.createContext("/hang", ex -> answer(ex, 200, "late", 30_000));
        http.createContext("/together", ex -> {
            together.countDown();
            try {
                together.await(10, TimeUnit.SECONDS); // answers only when both requests are in flight at once
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(ex, 200, "ok", 0);
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private static void answer(HttpExchange ex, int status, String body, long delayMs) throws IOException {
        try {
            Thread.sleep(delayMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private String secret(String name, Map<String, Object> value) {
        return secrets.createSecret(b -> b.name(name).secretString(Json.write(value)))
                .arn();
    }

    private static Map<String, Object> pg(String user, String password) {
        return Map.of(
                "engine",
                "postgres",
                "host",
                "127.0.0.1",
                "port",
                5432,
                "username",
                user,
                "password",
                password,
                "dbname",
                "postgres");
    }

    private HealthCheckHandler handler(String... vars) {
        Map<String, String> env =
                new HashMap<>(Map.of("DB_SSLMODE", "disable", "CHECK_TIMEOUT_MS", "2000", "DEGRADED_MS", "300"));
        for (int i = 0; i < vars.length; i += 2) {
            env.put(vars[i], vars[i + 1]);
        }
        return new HealthCheckHandler(moto.env(env));
    }

    private static Map<String, JsonNode> byName(JsonNode result) {
        Map<String, JsonNode> out = new HashMap<>();
        result.path("checks").forEach(c -> out.put(c.path("name").asText(), c));
        return out;
    }

    @Test
    void postgresRedisAndHttpAreCheckedForReal() {
        String arn = secret("kfood/db", pg("postgres", "s3cr3t-never-shown"));
        JsonNode result = Invocations.invoke(
                handler(
                        "DB_SECRET_ARN",
                        arn,
                        "REDIS_TLS",
                        "false",
                        "REDIS_ENDPOINT",
                        "127.0.0.1:6379",
                        "HEALTH_CHECK_URLS",
                        url("/health"),
                        "HTTP_EXPECT_BODY",
                        "\"UP\""),
                Invocations.event("events/health/scheduler.json"));

        Map<String, JsonNode> checks = byName(result);
        assertThat(checks.get("database").path("status").asText()).isEqualTo("OK");
        assertThat(checks.get("database").path("detail").asText()).isEqualTo("writer");
        assertThat(checks.get("database").path("target").asText()).isEqualTo("127.0.0.1:5432/postgres");
        assertThat(checks.get("redis").path("status").asText()).isEqualTo("OK");
        assertThat(checks.get("http-1").path("status").asText()).isEqualTo("OK");
        assertThat(result.path("healthy").asBoolean()).isTrue();
        assertThat(result.toString()).doesNotContain("s3cr3t-never-shown");
    }

    @Test
    void threeChecksWhereOneTakes500MsRunInParallel() {
        String arn = secret("kfood/db", pg("postgres", "x"));
        JsonNode result = Invocations.invoke(
                handler(
                        "DB_SECRET_ARN",
                        arn,
                        "REDIS_TLS",
                        "false",
                        "REDIS_ENDPOINT",
                        "127.0.0.1:6379",
                        "HEALTH_CHECK_URLS",
                        url("/slow"),
                        "DEGRADED_MS",
                        "1000"),
                Invocations.event("events/health/scheduler.json"));
        System.out.printf(
                "three checks (database, redis, http answering in 500 ms): run %d ms; %s%n",
                result.path("runMs").asLong(), result.path("checks").findValuesAsText("latencyMs"));
        assertThat(byName(result).values())
                .extracting(c -> c.path("status").asText())
                .containsOnly("OK");
    }

    @Test
    void checksAreConcurrentNotSequential() {
        // each /together request is answered only when the other is in flight: sequential checks would time out
        JsonNode result = Invocations.invoke(
                handler("HEALTH_CHECK_URLS", url("/together") + "," + url("/together?second")),
                Invocations.event("events/health/scheduler.json"));
        assertThat(byName(result).get("http-1").path("status").asText()).isEqualTo("OK");
        assertThat(byName(result).get("http-2").path("status").asText()).isEqualTo("OK");
    }

    @Test
    void slowFailingAndHungEndpointsAreToldApart() {
        JsonNode result = Invocations.invoke(
                handler(
                        "HEALTH_CHECK_URLS",
                        url("/slow") + "," + url("/fail") + "," + url("/hang"),
                        "CHECK_TIMEOUT_MS",
                        "1500"),
                Invocations.event("events/health/scheduler.json"));
        Map<String, JsonNode> checks = byName(result);
        assertThat(checks.get("http-1").path("status").asText()).isEqualTo("DEGRADED");
        assertThat(checks.get("http-2").path("status").asText()).isEqualTo("FAILED");
        assertThat(checks.get("http-2").path("error").asText()).isEqualTo("HTTP 500, expected 2xx");
        assertThat(checks.get("http-3").path("status").asText()).isIn("TIMEOUT", "FAILED");
        assertThat(checks.get("http-3").path("error").asText()).containsAnyOf("no answer within 1500 ms", "timed out");
        assertThat(checks.get("database").path("status").asText()).isEqualTo("NOT_CONFIGURED");
        assertThat(result.path("healthy").asBoolean()).isFalse();
    }

    @Test
    void aDependencyThatIsDownFailsItsCheckOnly() throws IOException {
        int closed = Emulator.freePort();
        String arn = secret(
                "kfood/db",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        closed,
                        "username",
                        "postgres",
                        "password",
                        "x",
                        "dbname",
                        "postgres"));
        JsonNode result = Invocations.invoke(
                handler(
                        "DB_SECRET_ARN",
                        arn,
                        "REDIS_TLS",
                        "false",
                        "REDIS_ENDPOINT",
                        "127.0.0.1:" + closed,
                        "HEALTH_CHECK_URLS",
                        url("/health")),
                Invocations.event("events/health/scheduler.json"));
        Map<String, JsonNode> checks = byName(result);
        assertThat(checks.get("database").path("status").asText()).isEqualTo("FAILED");
        assertThat(checks.get("database").path("error").asText()).containsIgnoringCase("refused");
        assertThat(checks.get("redis").path("status").asText()).isEqualTo("FAILED");
        assertThat(checks.get("http-1").path("status").asText()).isEqualTo("OK");
        assertThat(result.toString()).doesNotContain("\tat ").doesNotContain("Caused by");
    }

    @Test
    void rotatedCredentialsAreFetchedAgainWhenTheCachedOnesStopWorking() throws Exception {
        try (Connection admin = DriverManager.getConnection(PG, "postgres", "");
                Statement st = admin.createStatement()) {
            st.execute("DROP ROLE IF EXISTS kfood_health_a");
            st.execute("DROP ROLE IF EXISTS kfood_health_b");
            st.execute("CREATE ROLE kfood_health_a LOGIN PASSWORD 'a-secret'");
            String arn = secret("kfood/db-rotating", pg("kfood_health_a", "a-secret"));
            OpsHandler handler = handler("DB_SECRET_ARN", arn);
            assertThat(byName(Invocations.invoke(handler, Invocations.event("events/health/scheduler.json")))
                            .get("database")
                            .path("status")
                            .asText())
                    .isEqualTo("OK");

            // rotation: a new user in the secret, the old one gone
            st.execute("CREATE ROLE kfood_health_b LOGIN PASSWORD 'b-secret'");
            secrets.putSecretValue(b -> b.secretId(arn).secretString(Json.write(pg("kfood_health_b", "b-secret"))));
            st.execute("DROP ROLE kfood_health_a");

            JsonNode after = byName(Invocations.invoke(handler, Invocations.event("events/health/scheduler.json")))
                    .get("database");
            assertThat(after.path("status").asText()).isEqualTo("OK");
            assertThat(after.path("detail").asText()).isEqualTo("writer (after refreshing rotated credentials)");
            st.execute("DROP ROLE kfood_health_b");
        }
    }

    @Test
    void aWrongRedisPasswordIsReportedWithoutThePassword() throws Exception {
        assumeTrue(
                new File("/usr/bin/redis-server").canExecute(),
                "redis-server is needed to run a password-protected Redis");
        int port = Emulator.freePort();
        ProcessBuilder server = new ProcessBuilder(
                        "/usr/bin/redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--requirepass",
                        "right-token",
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // a server keeps the machine's clock, as PostgreSQL does: a shifted date (./ops test-shifted) is the
        // test JVM's and its clients', and libfaketime hangs redis-server
        server.environment().remove("LD_PRELOAD");
        server.environment().remove("FAKETIME");
        Process redis = server.start();
        try {
            awaitListening(port);
            String wrong = secrets.createSecret(
                            b -> b.name("kfood/redis-wrong").secretString("{\"token\":\"wrong-token\"}"))
                    .arn();
            String right = secrets.createSecret(b -> b.name("kfood/redis-right").secretString("right-token"))
                    .arn();
            JsonNode bad = byName(Invocations.invoke(
                            handler(
                                    "REDIS_TLS",
                                    "false",
                                    "REDIS_ENDPOINT",
                                    "127.0.0.1:" + port,
                                    "REDIS_AUTH_SECRET_ARN",
                                    wrong),
                            Invocations.event("events/health/scheduler.json")))
                    .get("redis");
            assertThat(bad.path("status").asText()).isEqualTo("FAILED");
            assertThat(bad.path("error").asText())
                    .containsIgnoringCase("WRONGPASS")
                    .doesNotContain("wrong-token");
            JsonNode good = byName(Invocations.invoke(
                            handler(
                                    "REDIS_TLS",
                                    "false",
                                    "REDIS_ENDPOINT",
                                    "127.0.0.1:" + port,
                                    "REDIS_AUTH_SECRET_ARN",
                                    right),
                            Invocations.event("events/health/scheduler.json")))
                    .get("redis");
            assertThat(good.path("status").asText()).isEqualTo("OK");
        } finally {
            redis.destroy();
        }
    }

    @Test
    void nothingConfiguredIsNotAFailure() {
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(result.path("checks"))
                .extracting(c -> c.path("status").asText())
                .containsOnly("NOT_CONFIGURED");
        assertThat(result.path("healthy").asBoolean()).isTrue();
    }

    @Test
    void anEventThatIsNotAScheduleIsRejected() {
        assertThatThrownBy(
                        () -> Invocations.invoke(handler(), Invocations.event("events/deploy/codedeploy-start.json")))
                .isInstanceOf(InvalidEventException.class);
    }

    /** Waits until the server accepts connections on {@code port} (at most 10 s), not a fixed guess. */
    private static void awaitListening(int port) throws InterruptedException {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s");
    }
}
