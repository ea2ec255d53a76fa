package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.SecretCache;
import com.kfood.ops.testsupport.HostileChecks;
import com.kfood.ops.testsupport.HostileEvents;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * DatabaseCareFunction fed hundreds of generated events: anything but the schedule's event (or a
 * manual one) is rejected before the database is even asked for, and nothing leaks into the logs.
 */
class HostileInputTest {
    @Provide
    Arbitrary<String> events() {
        return HostileEvents.around("events/care/scheduler.json", "events/care/manual-dry-run.json");
    }

    @Property(tries = 300)
    void aRejectedEventNeverReachesTheDatabase(@ForAll("events") String event) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T18:00:00Z"));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("DatabaseCareFunction", clock, new PrintStream(logs, true));
        AtomicInteger secretReads = new AtomicInteger();
        // the secret points nowhere: an accepted event fails to connect, a rejected one never tries
        SecretCache secrets = new SecretCache(
                arn -> {
                    secretReads.incrementAndGet();
                    return "{\"host\":\"127.0.0.1\",\"port\":1,\"username\":\"u\",\"password\":\""
                            + HostileChecks.SECRET + "\",\"dbname\":\"d\"}";
                },
                clock,
                Duration.ZERO);
        RecordingMetrics metrics = new RecordingMetrics();
        RecordingNotifier notifier = new RecordingNotifier();
        var env = TestOps.env(
                "DB_SECRET_ARN",
                "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:care",
                "DB_SSLMODE",
                "disable",
                "QUERY_TIMEOUT_SECONDS",
                "1");
        OpsHandler handler = OpsHandler.of(
                TestOps.of("DatabaseCareFunction", env, clock, log, metrics),
                new DatabaseCare(
                        CareConfig.from(env),
                        secrets,
                        DatabaseCare.Stores.historyOnly(when -> OptionalDouble.empty()),
                        notifier,
                        metrics,
                        log,
                        clock));
        try {
            Invocations.invoke(handler, Invocations.json(event));
        } catch (InvalidEventException rejected) {
            assertThat(rejected.getMessage()).isNotBlank().doesNotContain(HostileChecks.SECRET);
            assertThat(secretReads).hasValue(0);
        } catch (IllegalStateException unreachable) {
            assertThat(unreachable.getMessage())
                    .startsWith("database unreachable")
                    .doesNotContain(HostileChecks.SECRET);
        }
        assertThat(notifier.sent).isEmpty();
        HostileChecks.logsAreSafe(logs);
    }
}
