package com.kfood.ops.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.backup.AutomatedBackups;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.SnapshotTags;
import com.kfood.ops.testsupport.FakeRds;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.Tag;

/** PruneFunction's run on an in-memory RDS. */
class PruneRunTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T19:30:00Z"));
    private final FakeRds rds = new FakeRds(clock).instance("kfood-db", "available");
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final OpsLog log = new OpsLog("PruneFunction", clock, new PrintStream(OutputStream.nullOutputStream()));

    private static final Tag OURS =
            Tag.builder().key("ManagedBy").value("kfood-ops").build();

    private OpsHandler handler(String... vars) {
        List<String> all = new ArrayList<>(
                List.of("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops", "MIN_SNAPSHOTS_KEPT", "3"));
        all.addAll(List.of(vars));
        Env env = TestOps.env(all.toArray(String[]::new));
        BackupConfig config = BackupConfig.from(env);
        return OpsHandler.of(
                TestOps.of("PruneFunction", env, clock, log, metrics),
                homeOnly(config, rds, notifier, metrics, log, clock));
    }

    /** A run on the fake RDS, without a DR region. */
    static PruneRun homeOnly(
            BackupConfig config,
            FakeRds rds,
            RecordingNotifier notifier,
            RecordingMetrics metrics,
            OpsLog log,
            Clock clock) {
        return new PruneRun(
                config,
                new PruneRun.Home(new SnapshotInventory(rds, config), rds, AutomatedBackups.of(config)),
                Optional.empty(),
                notifier,
                metrics,
                log,
                clock);
    }

    /** One managed snapshot a day for {@code days} days, the newest {@code newestHoursAgo} old. */
    private void dailySnapshots(int days, int newestHoursAgo) {
        for (int d = 0; d < days; d++) {
            Instant at = clock.instant().minus(Duration.ofHours(newestHoursAgo)).minus(Duration.ofDays(d));
            String id = SnapshotTags.snapshotId("kfood-ops", "kfood-db", at);
            rds.snapshot(id, "kfood-db", "manual", "available", at, OURS);
        }
    }

    @Test
    void deletesWhatExpiredKeepsTheRestAndReportsFreshness() {
        dailySnapshots(40, 1);
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));

        assertThat(result.path("deleted")).hasSize(10); // days 30..39 (plus the hour) are older than 30 days
        assertThat(rds.snapshots).hasSize(30);
        assertThat(result.path("allocatedGbOfDeleted").asLong()).isEqualTo(1000);
        assertThat(result.at("/freshness/0/status").asText()).isEqualTo("FRESH");
        assertThat(metrics.sum("SnapshotsPruned")).isEqualTo(10);
        assertThat(metrics.sum("StaleBackups")).isZero();
        assertThat(notifier.sent.get(0).severity()).isEqualTo(Severity.SUCCESS);
    }

    @Test
    void automatedBackupsKeptTooShortOrRestoringFarBehindAreLoud() {
        dailySnapshots(3, 1);
        JsonNode ok = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(ok.at("/automatedBackups/0/status").asText()).isEqualTo("OK");
        assertThat(ok.at("/automatedBackups/0/lagMinutes").asDouble()).isEqualTo(2.0);
        assertThat(metrics.sum("AutomatedBackupProblems")).isZero();

        // someone cut the retention to 7 days: point-in-time recovery no longer reaches a month back
        rds.automatedBackups("kfood-db", 7, clock.instant().minusSeconds(120));
        JsonNode cut = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(cut.at("/automatedBackups/0/status").asText()).isEqualTo("RETENTION_SHORT");
        assertThat(notifier.sent.getLast().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(notifier.sent.getLast().title()).contains("automated backups short or behind");
        assertThat(notifier.sent.getLast().facts().get("Automated backups of kfood-db"))
                .startsWith("RETENTION_SHORT: 7 days kept");

        // the transaction logs stopped: RDS restores only to 16 minutes ago (the limit is 15)
        rds.automatedBackups("kfood-db", 30, clock.instant().minusSeconds(16 * 60));
        JsonNode behind = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(behind.at("/automatedBackups/0/status").asText()).isEqualTo("BEHIND");
        assertThat(behind.at("/automatedBackups/0/lagMinutes").asDouble()).isEqualTo(16.0);
        // at the limit it is still fine
        rds.automatedBackups("kfood-db", 30, clock.instant().minusSeconds(15 * 60));
        assertThat(Invocations.invoke(handler(), Invocations.json("{}"))
                        .at("/automatedBackups/0/status")
                        .asText())
                .isEqualTo("OK");
        assertThat(metrics.sum("AutomatedBackupProblems")).isEqualTo(2.0);
    }

    @Test
    void theDrRegionsReplicaOfTheAutomatedBackupsIsReported() {
        dailySnapshots(3, 1);
        FakeRds tokyo = new FakeRds(clock);
        Env env = TestOps.env("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops", "DR_REGION", "ap-northeast-1");
        BackupConfig config = BackupConfig.from(env);
        PruneRun run = new PruneRun(
                config,
                new PruneRun.Home(new SnapshotInventory(rds, config), rds, AutomatedBackups.of(config)),
                Optional.of(new PruneRun.DrRegion("ap-northeast-1", new SnapshotInventory(tokyo, config), tokyo)),
                notifier,
                metrics,
                log,
                clock);

        JsonNode before = Invocations.invoke(
                OpsHandler.of(TestOps.of("PruneFunction", env, clock, log, metrics), run), Invocations.json("{}"));
        assertThat(before.at("/automatedBackups/0/drReplication").asText())
                .isEqualTo("not replicated to ap-northeast-1 (REPLICATE_AUTOMATED_BACKUPS turns it on)");

        tokyo.replicateAutomatedBackups("arn:aws:rds:ap-northeast-2:123456789012:db:kfood-db", 30, Optional.empty());
        JsonNode after = Invocations.invoke(
                OpsHandler.of(TestOps.of("PruneFunction", env, clock, log, metrics), run), Invocations.json("{}"));
        assertThat(after.at("/automatedBackups/0/drReplication").asText())
                .isEqualTo("replicated to ap-northeast-1 (replicating)");
        assertThat(notifier.sent.getLast().facts().get("Automated backups of kfood-db"))
                .endsWith("; replicated to ap-northeast-1 (replicating)");
    }

    @Test
    void dryRunListsExactlyWhatARealRunDeletes() {
        dailySnapshots(40, 1);
        JsonNode dry = Invocations.invoke(handler(), Invocations.json("{\"dryRun\": true}"));
        assertThat(rds.calls("DeleteDBSnapshot")).isZero();
        assertThat(rds.snapshots).hasSize(40);

        JsonNode real = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(dry.path("wouldDelete")).containsExactlyInAnyOrderElementsOf(real.path("deleted"));
    }

    @Test
    void staleBackupsAreLoud() {
        dailySnapshots(5, 30);
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(result.at("/freshness/0/status").asText()).isEqualTo("STALE");
        assertThat(result.at("/freshness/0/ageHours").asDouble()).isEqualTo(30.0);
        assertThat(metrics.sum("StaleBackups")).isEqualTo(1);
        assertThat(notifier.sent.get(0).severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aDeletedDatabaseKeepsItsLastSnapshotsAndIsReported() {
        dailySnapshots(10, 24 * 60);
        rds.instances.clear();
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(rds.snapshots).hasSize(3); // the floor
        assertThat(result.at("/freshness/0/status").asText()).isEqualTo("DATABASE_NOT_FOUND");
    }

    @Test
    void stopsBeforeTheDeadlineAndSaysWhatIsLeft() {
        dailySnapshots(40, 1);
        OpsHandler handler = handler();
        JsonNode result = Invocations.invoke(handler, Invocations.json("{}"), 5); // less than the 20 s margin
        assertThat(result.path("complete").asBoolean()).isFalse();
        assertThat(result.path("remaining")).hasSize(10);
        assertThat(rds.calls("DeleteDBSnapshot")).isZero();
        assertThat(notifier.sent.get(0).severity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void readsTheSnapshotsOnceAndMakesOneCallPerDeletion() {
        dailySnapshots(250, 1);
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(rds.calls("DescribeDBSnapshots")).isEqualTo(1); // every page: AwsRdsSnapshotsIT
        assertThat(result.path("deleted")).hasSize(220);
        assertThat(rds.calls("DeleteDBSnapshot")).isEqualTo(220);
        assertThat(rds.calls("DescribeDBInstances")).isEqualTo(1);
    }

    @Test
    void aBadEventIsRejectedBeforeAnyAwsCall() {
        assertThatThrownBy(() -> Invocations.invoke(handler(), Invocations.json("{\"source\":\"aws.s3\"}")))
                .isInstanceOf(InvalidEventException.class);
        assertThat(rds.calls).isEmpty();
    }

    /** Each due snapshot in exactly one of deleted, already gone, failed (by id) or remaining. */
    private static List<String> accounted(JsonNode result) {
        List<String> ids = new ArrayList<>();
        for (String list : new String[] {"deleted", "alreadyGone", "remaining"}) {
            result.path(list).forEach(id -> ids.add(id.asText()));
        }
        result.path("failures")
                .forEach(f ->
                        ids.add(f.asText().substring(0, Math.max(0, f.asText().indexOf(": ")))));
        return ids;
    }

    /** Forty daily snapshots; deleting the one {@code daysOld} days old throws {@code failure}. Returns its id. */
    private String dueWithAFailingDelete(int daysOld, Throwable failure) {
        dailySnapshots(40, 1);
        String broken = SnapshotTags.snapshotId(
                "kfood-ops",
                "kfood-db",
                clock.instant().minus(Duration.ofHours(1)).minus(Duration.ofDays(daysOld)));
        rds.deleteFailures.put(broken, failure);
        return broken;
    }

    /** What a dry run says is due: the ids a real run must account for. */
    private List<String> due() {
        List<String> ids = new ArrayList<>();
        Invocations.invoke(handler(), Invocations.json("{\"dryRun\": true}"))
                .path("wouldDelete")
                .forEach(id -> ids.add(id.asText()));
        return ids;
    }

    @Test
    void aDeleteThatThrowsSomethingOtherThanAnAwsErrorIsAFailureOfThatSnapshotAndTheOthersGoOn() {
        String broken = dueWithAFailingDelete(35, new IllegalStateException("connection pool shut down"));
        List<String> expected = due();
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));

        assertThat(accounted(result)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(result.path("failures")).hasSize(1);
        assertThat(result.at("/failures/0").asText()).startsWith(broken + ": IllegalStateException");
        assertThat(result.path("deleted")).hasSize(expected.size() - 1);
    }

    @Test
    void aDeleteTaskThatDiesLeavesItsSnapshotRemainingAndTheRunIncomplete() {
        String broken = dueWithAFailingDelete(31, new OutOfMemoryError("simulated"));
        List<String> expected = due();
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));

        assertThat(accounted(result)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(result.path("remaining").toString()).contains(broken);
        assertThat(result.path("complete").asBoolean()).isFalse();
    }

    @Test
    void weeklyAndMonthlyTiersKeepTheirSnapshotsAndSayWhichTierKeptEach() {
        dailySnapshots(120, 1); // 03:30 KST each day; now is Friday 27 November, 04:30 KST
        JsonNode result = Invocations.invoke(
                handler("WEEKLY_RETENTION_WEEKS", "8", "MONTHLY_RETENTION_MONTHS", "3"), Invocations.json("{}"));

        // 30 dailies; Sundays 25, 18, 11 and 4 October KST as weeklies; 1 September and 1 October as monthlies
        assertThat(result.path("deleted")).hasSize(120 - 36);
        assertThat(rds.snapshots).hasSize(36);
        JsonNode tiers = result.at("/tiers/0");
        assertThat(tiers.path("daily").asInt()).isEqualTo(30);
        assertThat(tiers.path("weekly").asInt()).isEqualTo(8);
        assertThat(tiers.path("monthly").asInt()).isEqualTo(3);
        assertThat(tiers.path("kept").asInt()).isEqualTo(36);
        JsonNode keptBy = result.path("keptSnapshots");
        assertThat(keptBy.path("kfood-ops-kfood-db-20261024-1830").asText()).isEqualTo("weekly");
        assertThat(keptBy.path("kfood-ops-kfood-db-20260930-1830").asText()).isEqualTo("monthly"); // a Thursday
        assertThat(keptBy.path("kfood-ops-kfood-db-20260831-1830").asText()).isEqualTo("monthly");
        // Sunday 1 November KST: its day, its week and its month
        assertThat(keptBy.path("kfood-ops-kfood-db-20261031-1830").asText()).isEqualTo("daily, weekly, monthly");
        assertThat(keptBy.size()).isEqualTo(36);
        assertThat(notifier.sent.getFirst().facts().get("Tiers of kfood-db"))
                .startsWith("36 kept: 30 daily, 8 weekly, 3 monthly");
    }

    @Test
    void theQuotaOutlookWarnsBeforeTheTiersFillTheRegion() {
        dailySnapshots(40, 1);
        // ten snapshots in the region are not ours (a person's, another stack's, copies)
        rds.manualSnapshotQuota = AccountQuota.builder()
                .accountQuotaName("ManualSnapshots")
                .used(50L)
                .max(100L)
                .build();
        JsonNode calm = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(calm.at("/quota/status").asText()).isEqualTo("OK");
        assertThat(calm.at("/quota/steadyState").asLong()).isEqualTo(10 + 30);

        rds.manualSnapshotQuota = rds.manualSnapshotQuota.toBuilder().used(40L).build(); // 30 ours now, 10 not
        JsonNode full = Invocations.invoke(
                handler("WEEKLY_RETENTION_WEEKS", "52", "MONTHLY_RETENTION_MONTHS", "24"), Invocations.json("{}"));
        assertThat(full.at("/quota/status").asText()).isEqualTo("WARNING");
        assertThat(full.at("/quota/steadyState").asLong()).isGreaterThanOrEqualTo(80);
        Notification n = notifier.sent.getLast();
        assertThat(n.severity()).isEqualTo(Severity.WARNING);
        assertThat(n.nextSteps()).anyMatch(step -> step.contains("WeeklyRetentionWeeks"));
    }

    @Test
    void aQuotaRdsDoesNotReportIsUnknownNotZero() {
        dailySnapshots(3, 1);
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(result.at("/quota/status").asText()).isEqualTo("UNKNOWN");
        assertThat(result.at("/quota/message").asText()).isEqualTo("RDS reported no ManualSnapshots quota");
    }
}
