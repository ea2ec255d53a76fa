package com.kfood.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.SecretCache;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class HealthRunTest {
    private static final OpsLog QUIET =
            new OpsLog("HealthCheckFunction", Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()));

    private final RecordingMetrics metrics = new RecordingMetrics();

    private static HealthCheck check(String name, Callable<String> body) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String target() {
                return "t-" + name;
            }

            @Override
            public String run() throws Exception {
                return body.call();
            }
        };
    }

    @Test
    void classifiesEachCheckAndEmitsOneMetricSetPerCheck() {
        HealthRun run = new HealthRun(
                List.of(
                        check("ok", () -> "fine"),
                        check("slow", () -> {
                            Thread.sleep(150);
                            return "fine";
                        }),
                        check("broken", () -> {
                            throw new SQLException("FATAL: role \"ghost\" does not exist", "28000");
                        })),
                List.of(CheckResult.notConfigured("redis", "REDIS_ENDPOINT")),
                new HealthRun.Limits(2000, 100, false),
                Optional.empty(),
                metrics,
                QUIET,
                Clock.systemUTC());

        HealthRun.HealthResult result = run.run();

        assertThat(result.checks())
                .extracting(CheckResult::name, CheckResult::status)
                .containsExactly(
                        Tuple.tuple("redis", CheckResult.Status.NOT_CONFIGURED),
                        Tuple.tuple("ok", CheckResult.Status.OK),
                        Tuple.tuple("slow", CheckResult.Status.DEGRADED),
                        Tuple.tuple("broken", CheckResult.Status.FAILED));
        assertThat(result.healthy()).isFalse();
        assertThat(result.checks().get(3).error()).isEqualTo("SQLException: FATAL: role \"ghost\" does not exist");
        assertThat(metrics.data)
                .filteredOn(d -> d.name().equals("Success"))
                .extracting(d -> d.dimensions().get("Check") + "=" + (int) d.value())
                .containsExactly("ok=1", "slow=1", "broken=0");
        assertThat(metrics.data)
                .filteredOn(d -> d.name().equals("Degraded") && d.value() == 1)
                .extracting(d -> d.dimensions().get("Check"))
                .containsExactly("slow");
        // one datapoint for the run: a minute down in any check is one minute down, whatever the count
        assertThat(metrics.data)
                .filteredOn(d -> d.name().equals("AllChecksUp"))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.value()).isZero();
                    assertThat(d.dimensions()).doesNotContainKey("Check");
                });
    }

    @Test
    void aHungCheckCostsItsTimeoutNotTheFunctions() {
        HealthRun run = new HealthRun(
                List.of(
                        check("hung", () -> {
                            Thread.sleep(60_000);
                            return "never";
                        }),
                        check("ok", () -> "fine")),
                List.of(),
                new HealthRun.Limits(200, 100, false),
                Optional.empty(),
                metrics,
                QUIET,
                Clock.systemUTC());
        HealthRun.HealthResult result = run.run();
        assertThat(result.checks())
                .extracting(CheckResult::status)
                .containsExactly(CheckResult.Status.TIMEOUT, CheckResult.Status.OK);
        assertThat(result.checks().get(0).error()).isEqualTo("no answer within 200 ms");
    }

    @Test
    void wrappedDriverErrorsShowTheirCause() {
        Exception e = new RuntimeException(
                "Failed to connect to any host resolved for DNS name.", new ConnectException("Connection refused"));
        assertThat(HealthRun.describe(e))
                .contains("Failed to connect")
                .contains("ConnectException: Connection refused");
    }

    @Test
    void secretsAreCachedForTheirTtlAndDroppedOnDemand() {
        AtomicInteger fetches = new AtomicInteger();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
        SecretCache cache = new SecretCache(
                arn -> "{\"username\":\"u" + fetches.incrementAndGet() + "\"}", clock, Duration.ofMinutes(5));
        assertThat(cache.get("a").path("username").asText()).isEqualTo("u1");
        clock.advance(Duration.ofMinutes(4));
        assertThat(cache.get("a").path("username").asText()).isEqualTo("u1");
        clock.advance(Duration.ofMinutes(2));
        assertThat(cache.get("a").path("username").asText()).isEqualTo("u2");
        cache.invalidate("a");
        assertThat(cache.get("a").path("username").asText()).isEqualTo("u3");
        assertThat(new SecretCache(arn -> "plain-token", clock, Duration.ZERO)
                        .get("b")
                        .path("password")
                        .asText())
                .isEqualTo("plain-token");
    }

    @Test
    void expectedStatusIsACodeOrAClass() {
        HttpCheck twoXx = new HttpCheck("h", URI.create("http://x/"), "2xx", null, Duration.ofSeconds(1));
        HttpCheck exact = new HttpCheck("h", URI.create("http://x/"), "204", null, Duration.ofSeconds(1));
        assertThat(twoXx.statusMatches(200)).isTrue();
        assertThat(twoXx.statusMatches(299)).isTrue();
        assertThat(twoXx.statusMatches(301)).isFalse();
        assertThat(exact.statusMatches(204)).isTrue();
        assertThat(exact.statusMatches(200)).isFalse();
    }
}
