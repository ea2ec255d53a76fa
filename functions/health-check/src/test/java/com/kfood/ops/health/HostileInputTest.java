package com.kfood.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.HostileChecks;
import com.kfood.ops.testsupport.HostileEvents;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.TestOps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** HealthCheckFunction fed hundreds of generated events: the schedule's event runs the checks, anything else is rejected clearly. */
class HostileInputTest {
    @Provide
    Arbitrary<String> events() {
        return HostileEvents.around("events/health/scheduler.json");
    }

    @Property(tries = 300)
    void anyEventRunsTheChecksOrIsRejected(@ForAll("events") String event) {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("HealthCheckFunction", Clock.systemUTC(), new PrintStream(logs, true));
        RecordingMetrics metrics = new RecordingMetrics();
        HealthRun run = new HealthRun(
                List.of(),
                List.of(CheckResult.notConfigured("database", "DB_SECRET_ARN")),
                new HealthRun.Limits(1000, 500, false),
                Optional.empty(),
                metrics,
                log,
                Clock.systemUTC());
        OpsHandler handler =
                OpsHandler.of(TestOps.of("HealthCheckFunction", TestOps.env(), Clock.systemUTC(), log, metrics), run);
        try {
            assertThat(Invocations.invoke(handler, Invocations.json(event))
                            .path("checks")
                            .size())
                    .isEqualTo(1);
        } catch (InvalidEventException rejected) {
            assertThat(rejected.getMessage()).isNotBlank();
        }
        HostileChecks.logsAreSafe(logs);
    }
}
