package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.backup.BackupConfig;
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
import java.util.Optional;
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
                "events/snapshot/manual-dry-run.json",
                "events/snapshot/verify-uploads.json");
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

    @Provide
    Arbitrary<String> snapshotEvents() {
        return HostileEvents.around("events/snapshot/rds-snapshot-created.json");
    }

    /** RDS's snapshot events, mangled: at most the one copy of a snapshot of ours, never another's. */
    @Property(tries = 300)
    void aSnapshotEventCopiesAtMostOneSnapshotOfOursAndNothingElse(@ForAll("snapshotEvents") String event) {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T18:10:00Z"));
        FakeRds rds = new FakeRds(clock).instance("kfood-db", "available");
        rds.snapshot(
                "kfood-ops-kfood-db-20261205-1800",
                "kfood-db",
                "manual",
                "available",
                clock.instant().minusSeconds(600),
                software.amazon.awssdk.services.rds.model.Tag.builder()
                        .key("ManagedBy")
                        .value("kfood-ops")
                        .build());
        rds.snapshot("before-pg16-upgrade", "kfood-db", "manual", "available", clock.instant());
        FakeRds dr = new FakeRds(clock);
        RecordingNotifier notifier = new RecordingNotifier();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("SnapshotFunction", clock, new PrintStream(logs, true));
        Env env = TestOps.env("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops", "DR_REGION", "ap-northeast-1");
        BackupConfig config = BackupConfig.from(env);
        RecordingMetrics metrics = new RecordingMetrics();
        SnapshotRun run = new SnapshotRun(
                config,
                new SnapshotRun.Parts(
                        new SnapshotPlan(rds, config, "SnapshotFunction", log),
                        Optional.empty(),
                        Optional.of(new DrCopies(rds, dr, config, "ap-northeast-2", log)),
                        Optional.empty()),
                notifier,
                metrics,
                log,
                clock);
        OpsHandler handler = OpsHandler.of(TestOps.of("SnapshotFunction", env, clock, log, metrics), run);
        try {
            Invocations.invoke(handler, Invocations.json(event));
        } catch (InvalidEventException rejected) {
            assertThat(rejected.getMessage()).isNotBlank().doesNotContain(HostileChecks.SECRET);
        }
        assertThat(dr.snapshots.keySet()).isSubsetOf("kfood-ops-kfood-db-20261205-1800");
        assertThat(rds.calls("CreateDBSnapshot")).isLessThanOrEqualTo(1);
        HostileChecks.logsAreSafe(logs);
        HostileChecks.notificationsAreSafe(notifier.sent, 1);
    }
}
