package com.kfood.ops.prune;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.SnapshotTags;
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
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import software.amazon.awssdk.services.rds.model.Tag;

/** PruneFunction fed hundreds of generated events: a rejected event deletes nothing; the floor always holds. */
class HostileInputTest {
    @Provide
    Arbitrary<String> events() {
        return HostileEvents.around("events/prune/scheduler.json", "events/prune/manual-dry-run.json");
    }

    @Property(tries = 300)
    void anyEventGetsAResultOrAClearRejectionAndTheFloorHolds(@ForAll("events") String event) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T19:30:00Z"));
        FakeRds rds = new FakeRds(clock).instance("kfood-db", "available");
        for (int d = 0; d < 12; d++) {
            Instant at = clock.instant().minus(Duration.ofDays(d * 5L + 1));
            rds.snapshot(
                    SnapshotTags.snapshotId("kfood-ops", "kfood-db", at),
                    "kfood-db",
                    "manual",
                    "available",
                    at,
                    Tag.builder().key("ManagedBy").value("kfood-ops").build());
        }
        RecordingNotifier notifier = new RecordingNotifier();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("PruneFunction", clock, new PrintStream(logs, true));
        Env env = TestOps.env(
                "DB_INSTANCE_IDS",
                "kfood-db",
                "STACK_NAME",
                "kfood-ops",
                "MIN_SNAPSHOTS_KEPT",
                "7",
                "PRUNE_CONCURRENCY",
                "2");
        BackupConfig config = BackupConfig.from(env);
        RecordingMetrics metrics = new RecordingMetrics();
        OpsHandler handler = OpsHandler.of(
                TestOps.of("PruneFunction", env, clock, log, metrics),
                PruneRunTest.homeOnly(config, rds, notifier, metrics, log, clock));
        try {
            Invocations.invoke(handler, Invocations.json(event));
        } catch (InvalidEventException rejected) {
            assertThat(rds.calls).isEmpty();
            assertThat(notifier.sent).isEmpty();
        }
        assertThat(rds.snapshots).hasSizeGreaterThanOrEqualTo(7);
        HostileChecks.logsAreSafe(logs);
        HostileChecks.notificationsAreSafe(notifier.sent, 1);
    }
}
