package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.FakeRds;
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

/** SnapshotFunction fed hundreds of generated events: a result or a clear rejection, and a rejection changes nothing. */
class HostileInputTest {
    @Provide
    Arbitrary<String> events() {
        return HostileEvents.around(
                "events/snapshot/scheduler.json",
                "events/snapshot/classic-scheduled.json",
                "events/snapshot/manual-dry-run.json");
    }

    @Property(tries = 300)
    void anyEventGetsAResultOrAClearRejectionAndRejectionChangesNothing(@ForAll("events") String event) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:00:00Z"));
        FakeRds rds = new FakeRds(clock).instance("kfood-db", "available");
        RecordingNotifier notifier = new RecordingNotifier();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("SnapshotFunction", clock, new PrintStream(logs, true));
        Env env = TestOps.env("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops");
        RecordingMetrics metrics = new RecordingMetrics();
        OpsHandler handler = SnapshotRunTest.handler(rds, env, notifier, metrics, log, clock);
        try {
            assertThat(Invocations.invoke(handler, Invocations.json(event))
                            .path("snapshots")
                            .size())
                    .isEqualTo(1);
        } catch (InvalidEventException rejected) {
            assertThat(rejected.getMessage()).isNotBlank().doesNotContain(HostileChecks.SECRET);
            assertThat(rds.calls).isEmpty();
            assertThat(notifier.sent).isEmpty();
        }
        assertThat(rds.calls("CreateDBSnapshot")).isLessThanOrEqualTo(1);
        HostileChecks.logsAreSafe(logs);
        HostileChecks.notificationsAreSafe(notifier.sent, 1);
    }
}
