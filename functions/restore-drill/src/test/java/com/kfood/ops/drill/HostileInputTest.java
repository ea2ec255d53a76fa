package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.HostileChecks;
import com.kfood.ops.testsupport.HostileEvents;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * RestoreDrillFunction fed hundreds of generated events: what is not a start, a watch or an event
 * of one of this stack's drill instances is rejected before RDS or the bucket is asked anything;
 * nothing an event carries reaches a log line unescaped, and no secret anywhere.
 */
class HostileInputTest {
    @Provide
    Arbitrary<String> events() {
        return HostileEvents.around(
                "events/drill/scheduler.json",
                "events/drill/manual.json",
                "events/drill/point-in-time.json",
                "events/drill/dr-region.json",
                "events/drill/watchdog.json",
                "events/drill/rds-instance-restored.json");
    }

    @Property(tries = 300)
    void aRejectedEventChangesNothing(@ForAll("events") String event) {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T17:00:00Z"));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("RestoreDrillFunction", clock, new PrintStream(logs, true));
        RecordingMetrics metrics = new RecordingMetrics();
        RecordingNotifier notifier = new RecordingNotifier();
        FakeDrill fake = new FakeDrill();
        var env = DrillConfigTest.env();
        OpsHandler handler = OpsHandler.of(
                TestOps.of("RestoreDrillFunction", env, clock, log, metrics),
                fake.drill(DrillConfig.from(env), notifier, metrics, log, clock));
        try {
            Invocations.invoke(handler, Invocations.json(event));
        } catch (InvalidEventException rejected) {
            assertThat(rejected.getMessage()).isNotBlank().doesNotContain(HostileChecks.SECRET);
            assertThat(fake.calls).isEmpty();
        }
        assertThat(fake.calls).noneMatch(c -> c.startsWith("delete ")); // no drill instance was open
        // a monthly start reports each of its two modes (snapshot, pointInTime) at most once
        HostileChecks.notificationsAreSafe(notifier.sent, 2);
        HostileChecks.logsAreSafe(logs);
    }
}
