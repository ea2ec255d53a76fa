package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The drill's steps on fakes: what it waits for, what ends a drill, and that a run reports once, when complete. */
class RestoreDrillTest {
    private static final Instant T0 = Instant.parse("2026-12-05T17:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final FakeDrill fake = new FakeDrill();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();

    RestoreDrillTest() {
        fake.snapshot = Optional.of(new DrillPlatform.SourceSnapshot(
                "kfood-ops-dev-kfood-db-20261205-1600",
                "arn:aws:rds:ap-northeast-2:123456789012:snapshot:kfood-ops-dev-kfood-db-20261205-1600",
                "kfood-db",
                T0.minus(Duration.ofHours(1))));
    }

    private RestoreDrill drill(String... vars) {
        OpsLog log = new OpsLog("RestoreDrillFunction", clock, new PrintStream(OutputStream.nullOutputStream()));
        // the snapshot drill alone here; PointInTimeDrillTest has the other modes
        String[] all = Stream.concat(Stream.of("DRILL_MODES", "snapshot"), Stream.of(vars))
                .toArray(String[]::new);
        return fake.drill(DrillConfig.from(DrillConfigTest.env(all)), notifier, metrics, log, clock);
    }

    private static JsonNode event(String json) {
        return Json.parseEmbedded(json);
    }

    private static final JsonNode START = event("{\"action\":\"start\"}");
    private static final JsonNode WATCH = event("{\"action\":\"watch\"}");

    private static JsonNode rdsEvent(String instance, Instant at) {
        return event("{\"source\":\"aws.rds\",\"detail-type\":\"RDS DB Instance Event\",\"time\":\"" + at
                + "\",\"detail\":{\"SourceIdentifier\":\"" + instance + "\",\"Message\":\"Restored from snapshot\"}}");
    }

    @Test
    void aDrillWaitsForTheInstanceAndItsSecretThenEndsWithTeardown() {
        RestoreDrill drill = drill();
        drill.handle(START, null);
        String id = "kfood-ops-dev-drill-kfood-db-20261205";
        assertThat(fake.calls)
                .containsSubsequence(
                        "newestSnapshot kfood-db", "protect kfood-ops-dev-kfood-db-20261205-1600", "restore " + id);

        assertThat(drill.handle(WATCH, null).databases().getFirst().outcome()).isEqualTo("waiting: instance creating");
        fake.set(id, "available", "creating");
        assertThat(drill.handle(rdsEvent(id, T0), null).outcome()).isEqualTo("waiting: master secret creating");
        assertThat(fake.instances).containsKey(id);

        fake.set(id, "available", "active");
        clock.advance(Duration.ofMinutes(20));
        // RDS's time for the event may be before the restore call (clock skew): never a negative restore time
        RestoreDrill.DrillResult done = drill.handle(rdsEvent(id, T0.minus(Duration.ofMinutes(5))), null);

        assertThat(done.outcome()).isEqualTo("FAIL");
        DbResult result = (DbResult) done.databases().getFirst();
        assertThat(result.checked().restoreMinutes()).isEqualTo(0.0);
        assertThat(result.teardown().estimatedCostUsd()).isNotNull();
        assertThat(result.failure()).startsWith("connect: ");
        assertThat(fake.instances).isEmpty();
        assertThat(fake.calls)
                .contains(
                        "release arn:aws:rds:ap-northeast-2:123456789012:snapshot:kfood-ops-dev-kfood-db-20261205-1600");
        assertThat(notifier.sent)
                .singleElement()
                .satisfies(n -> assertThat(n.title()).contains("FAIL"));
    }

    @Test
    void rdsEventsAboutAnInstanceBeingDeletedChangeNothing() {
        RestoreDrill drill = drill();
        drill.handle(START, null);
        String id = "kfood-ops-dev-drill-kfood-db-20261205";
        fake.set(id, "deleting", null);
        clock.advance(Duration.ofHours(7)); // past its expiry too: deleting is already the end

        assertThat(drill.handle(rdsEvent(id, T0), null).outcome()).isEqualTo("waiting: instance being deleted");
        assertThat(fake.calls).noneMatch(c -> c.startsWith("delete kfood"));
        assertThat(notifier.sent).isEmpty();
    }

    @Test
    void aFailedRestoreEndsTheDrillAtOnce() {
        RestoreDrill drill = drill();
        drill.handle(START, null);
        fake.set("kfood-ops-dev-drill-kfood-db-20261205", "incompatible-restore", null);

        drill.handle(WATCH, null);

        assertThat(fake.instances).isEmpty();
        assertThat(notifier.sent)
                .singleElement()
                .satisfies(n -> assertThat(n.facts().get("kfood-db"))
                        .isEqualTo("FAIL: the restore failed: instance status incompatible-restore"));
    }

    @Test
    void aValidationInProgressElsewhereIsLeftAloneUntilItIsClearlyStuck() {
        RestoreDrill drill = drill();
        drill.handle(START, null);
        String id = "kfood-ops-dev-drill-kfood-db-20261205";
        fake.set(id, "available", "active");
        fake.tag(
                fake.instances.get(id),
                Map.of("kfood-ops:phase", "validating", "kfood-ops:available-at", T0.toString()));

        assertThat(drill.handle(rdsEvent(id, T0), null).outcome())
                .isEqualTo("waiting: being validated by another invocation");
        assertThat(fake.instances).containsKey(id);

        clock.advance(Duration.ofMinutes(21));
        drill.handle(WATCH, null);
        assertThat(fake.instances).isEmpty();
    }

    @Test
    void aRunOfTwoDatabasesReportsOnceWhenTheLastOneEnds() {
        RestoreDrill drill = drill("DB_INSTANCE_IDS", "kfood-db,kfood-db-2");
        drill.handle(START, null);
        fake.set("kfood-ops-dev-drill-kfood-db-20261205", "failed", null);
        drill.handle(WATCH, null);
        assertThat(notifier.sent).isEmpty();

        fake.set("kfood-ops-dev-drill-kfood-db-2-20261205", "failed", null);
        drill.handle(WATCH, null);
        drill.handle(WATCH, null);
        assertThat(notifier.sent).hasSize(1);
        assertThat(fake.documents)
                .containsKey("drills/runs/20261205-1700/report.json")
                .doesNotContainKey("drills/open/20261205-1700");
        assertThat(metrics.sum("DrillSucceeded")).isZero();
    }

    @Test
    void theWatchdogCountsTheDaysSinceTheLastPassFromWhenItFirstLooked() {
        RestoreDrill drill = drill();
        drill.handle(WATCH, null);
        clock.advance(Duration.ofDays(36));
        drill.handle(WATCH, null);
        assertThat(metrics.data)
                .filteredOn(d -> d.name().equals("DaysSinceDrillPassed"))
                .extracting(RecordingMetrics.Datum::value)
                .containsExactly(0.0, 36.0);
    }

    @Test
    void noSnapshotToRestoreIsAFailedDrillNotASilentOne() {
        fake.snapshot = Optional.empty();
        drill().handle(START, null);
        assertThat(fake.calls).noneMatch(c -> c.startsWith("restore "));
        assertThat(notifier.sent)
                .singleElement()
                .satisfies(n -> assertThat(n.facts().get("kfood-db"))
                        .isEqualTo("FAIL: no available snapshot managed by this stack to restore"));
    }

    @Test
    void aDeletionRdsRefusesIsReportedPendingAndTheWatchdogRetriesIt() {
        RestoreDrill drill = drill();
        drill.handle(START, null);
        String id = "kfood-ops-dev-drill-kfood-db-20261205";
        fake.set(id, "available", "active");
        fake.refuseDelete = "instance backing-up: InvalidDBInstanceState";

        RestoreDrill.DrillResult done = drill.handle(rdsEvent(id, T0), null);

        DbResult.Teardown teardown = ((DbResult) done.databases().getFirst()).teardown();
        assertThat(teardown.deletedAt()).isNull();
        assertThat(teardown.deletion())
                .isEqualTo("delete pending, the watchdog retries: instance backing-up: InvalidDBInstanceState");
        assertThat(fake.instances).containsKey(id);
        assertThat(notifier.sent).singleElement().satisfies(n -> {
            assertThat(n.summary()).contains("deletion is pending").doesNotContain("are deleted");
            assertThat(n.facts().get("kfood-db scratch instance")).startsWith("delete pending");
        });

        fake.refuseDelete = null;
        assertThat(drill.handle(WATCH, null).databases().getFirst().outcome())
                .isEqualTo("deleted (its result was reported earlier)");
        assertThat(fake.instances).isEmpty();
        assertThat(notifier.sent).as("reported once").hasSize(1);
    }
}
