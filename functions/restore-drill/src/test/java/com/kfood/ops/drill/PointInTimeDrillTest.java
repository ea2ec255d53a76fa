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
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The point-in-time and DR-region modes on fakes: what they restore, what they refuse, where they tear down. */
class PointInTimeDrillTest {
    private static final Instant T0 = Instant.parse("2026-12-05T17:00:00Z");
    private static final String PITR_ID = "kfood-ops-dev-drill-kfood-db-20261205-pitr";
    private static final String DR_ID = "kfood-ops-dev-drill-kfood-db-20261205-dr";

    private final MutableClock clock = new MutableClock(T0);
    private final FakeDrill home = new FakeDrill();
    private final FakeDrill tokyo = new FakeDrill();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();

    PointInTimeDrillTest() {
        // automated backups kept 30 days; RDS can restore up to five minutes ago
        home.window = Optional.of(
                new DrillPlatform.RestorableWindow(T0.minus(Duration.ofDays(30)), T0.minus(Duration.ofMinutes(5))));
        tokyo.region = "ap-northeast-1";
        tokyo.snapshot = Optional.of(new DrillPlatform.SourceSnapshot(
                "kfood-ops-dev-kfood-db-20261205-1600",
                "arn:aws:rds:ap-northeast-1:123456789012:snapshot:kfood-ops-dev-kfood-db-20261205-1600",
                "kfood-db",
                T0.minus(Duration.ofHours(1))));
    }

    private RestoreDrill drill(String... vars) {
        OpsLog log = new OpsLog("RestoreDrillFunction", clock, new PrintStream(OutputStream.nullOutputStream()));
        String[] all = Stream.concat(
                        Stream.of(
                                "DR_REGION",
                                "ap-northeast-1",
                                "DRILL_DR_SUBNET_GROUP",
                                "kfood-dr-private",
                                "DRILL_DR_SECURITY_GROUP_IDS",
                                "sg-0a1b2c3d4e5f60718"),
                        Stream.of(vars))
                .toArray(String[]::new);
        return home.drill(DrillConfig.from(DrillConfigTest.env(all)), tokyo, notifier, metrics, log, clock);
    }

    private static JsonNode event(String json) {
        return Json.parseEmbedded(json);
    }

    @Test
    void aPointInTimeDrillRestoresTheAutomatedBackupsToATimeWithinTheWindowAndProtectsNoSnapshot() {
        RestoreDrill.DrillResult started =
                drill().handle(event("{\"action\":\"start\",\"mode\":\"pointInTime\"}"), null);

        assertThat(started.runId()).isEqualTo("20261205-1700-pitr");
        assertThat(home.plans).singleElement().satisfies(plan -> {
            assertThat(plan.instanceId()).isEqualTo(PITR_ID);
            assertThat(plan.source()).isEqualTo("kfood-db");
            // within the last DRILL_PITR_WINDOW_HOURS (24) of what the backups reach, never past it
            assertThat(plan.restoreTime())
                    .isBetween(
                            T0.minus(Duration.ofMinutes(5)).minus(Duration.ofHours(24)),
                            T0.minus(Duration.ofMinutes(5)));
            assertThat(plan.tags())
                    .containsEntry(ScratchInstance.TAG_MODE, "pointInTime")
                    .containsEntry(
                            ScratchInstance.TAG_RESTORE_TO, plan.restoreTime().toString())
                    .doesNotContainKey(ScratchInstance.TAG_SNAPSHOT_CREATED);
        });
        assertThat(home.calls).noneMatch(c -> c.startsWith("protect") || c.startsWith("newestSnapshot"));
    }

    @Test
    void aRedeliveredStartDrawsTheSameTimeAndRestoresOnce() {
        RestoreDrill drill = drill("DRILL_PITR_WINDOW_HOURS", "6");
        JsonNode start = event("{\"action\":\"start\",\"mode\":\"pointInTime\"}");
        RestoreDrill.DrillResult dryRun =
                drill.handle(event("{\"action\":\"start\",\"mode\":\"pointInTime\",\"dryRun\":true}"), null);
        drill.handle(start, null);
        RestoreDrill.DrillResult again = drill.handle(start, null);

        assertThat(again.outcome()).isEqualTo("already started: no second restore");
        assertThat(home.plans).hasSize(1);
        Instant target = home.plans.getFirst().restoreTime();
        assertThat(target).isAfterOrEqualTo(T0.minus(Duration.ofMinutes(5)).minus(Duration.ofHours(6)));
        // the dry run showed the time the real start then used
        assertThat(((DrillLine.Planned) dryRun.databases().getFirst()).restoreTo())
                .isEqualTo(target.toString());
    }

    @Test
    void aTargetPastTheLatestRestorableTimeIsRefusedAndNothingStarts() {
        String late = T0.minus(Duration.ofMinutes(2)).toString();
        RestoreDrill.DrillResult refused = drill().handle(
                        event("{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"" + late + "\"}"),
                        null);

        assertThat(refused.outcome())
                .startsWith("refused: restoreTime " + late)
                .contains("LatestRestorableTime " + T0.minus(Duration.ofMinutes(5)));
        assertThat(home.plans).isEmpty();
        assertThat(home.documents).isEmpty();
        assertThat(notifier.sent).isEmpty();
    }

    @Test
    void aTargetGivenByHandIsTheOneRestoredTo() {
        Instant target = T0.minus(Duration.ofHours(3)).plusSeconds(2);
        drill().handle(
                        event("{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"" + target + "\"}"),
                        null);

        assertThat(home.plans)
                .singleElement()
                .extracting(DrillPlatform.RestorePlan::restoreTime)
                .isEqualTo(target);
    }

    @Test
    void noAutomatedBackupsIsAFailedPointInTimeDrillNotASilentOne() {
        home.window = Optional.empty();
        drill().handle(event("{\"action\":\"start\",\"mode\":\"pointInTime\"}"), null);

        assertThat(home.plans).isEmpty();
        assertThat(notifier.sent).singleElement().satisfies(n -> {
            assertThat(n.title()).isEqualTo("Point-in-time restore drill FAIL (20261205-1700-pitr)");
            assertThat(n.facts().get("kfood-db")).contains("no automated backups");
        });
    }

    @Test
    void thePointInTimeTeardownReleasesNoSnapshot() {
        RestoreDrill drill = drill();
        drill.handle(event("{\"action\":\"start\",\"mode\":\"pointInTime\"}"), null);
        home.set(PITR_ID, "available", "active");
        clock.advance(Duration.ofMinutes(15));
        RestoreDrill.DrillResult done = drill.handle(event("{\"action\":\"watch\"}"), null);

        assertThat(done.databases())
                .singleElement()
                .extracting(DrillLine::outcome)
                .isEqualTo("FAIL");
        assertThat(home.instances).isEmpty();
        assertThat(home.calls).noneMatch(c -> c.startsWith("release"));
        JsonNode result =
                Json.parseValue(home.documents.get(DrillLedger.runKey("20261205-1700-pitr", "kfood-db.json")));
        assertThat(result.path("mode").asText()).isEqualTo("pointInTime");
        assertThat(result.path("sourceInstance").asText()).isEqualTo("kfood-db");
        assertThat(result.has("snapshot")).isFalse();
    }

    @Test
    void aDrRegionDrillRestoresTheNewestCopyThereAndTheWatchdogTearsItDownThere() {
        RestoreDrill drill = drill();
        drill.handle(event("{\"action\":\"start\",\"mode\":\"drRegion\"}"), null);

        assertThat(tokyo.plans).singleElement().satisfies(plan -> {
            assertThat(plan.instanceId()).isEqualTo(DR_ID);
            assertThat(plan.subnetGroup()).isEqualTo("kfood-dr-private");
            assertThat(plan.securityGroupIds()).containsExactly("sg-0a1b2c3d4e5f60718");
            assertThat(plan.restoreTime()).isNull();
        });
        assertThat(tokyo.calls).contains("protect kfood-ops-dev-kfood-db-20261205-1600");
        assertThat(home.plans).isEmpty();

        // RDS's events there never reach this region: the watchdog moves it on
        tokyo.set(DR_ID, "available", "active");
        clock.advance(Duration.ofMinutes(12));
        drill.handle(event("{\"action\":\"watch\"}"), null);

        assertThat(tokyo.instances).isEmpty();
        assertThat(tokyo.calls)
                .contains(
                        "delete " + DR_ID,
                        "release arn:aws:rds:ap-northeast-1:123456789012:snapshot:kfood-ops-dev-kfood-db-20261205-1600");
        assertThat(notifier.sent)
                .singleElement()
                .satisfies(n -> assertThat(n.title())
                        .isEqualTo("DR-region restore drill (ap-northeast-1) FAIL (20261205-1700-dr)"));
        assertThat(metrics.data)
                .anyMatch(d -> d.name().equals("DrillSucceeded")
                        && "drRegion".equals(d.dimensions().get("Mode")));
    }

    @Test
    void anExpiredDrInstanceIsDeletedByTheWatchdogThere() {
        RestoreDrill drill = drill();
        drill.handle(event("{\"action\":\"start\",\"mode\":\"drRegion\"}"), null);
        clock.advance(Duration.ofHours(7)); // past DRILL_EXPIRES_HOURS (6), still creating
        drill.handle(event("{\"action\":\"watch\"}"), null);

        assertThat(tokyo.instances).isEmpty();
        assertThat(notifier.sent)
                .singleElement()
                .satisfies(n -> assertThat(n.facts().get("kfood-db")).contains("expired before it was validated"));
    }

    @Test
    void aDrDrillWithoutADrSiteIsRefused() {
        OpsLog log = new OpsLog("RestoreDrillFunction", clock, new PrintStream(OutputStream.nullOutputStream()));
        RestoreDrill drill = home.drill(DrillConfig.from(DrillConfigTest.env()), notifier, metrics, log, clock);

        RestoreDrill.DrillResult refused = drill.handle(event("{\"action\":\"start\",\"mode\":\"drRegion\"}"), null);

        assertThat(refused.outcome()).startsWith("refused: no DR drill here");
        assertThat(home.calls).isEmpty();
    }
}
