package com.kfood.ops.prune;

import static com.kfood.ops.emulator.DemoPlatform.DB;
import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.backup.SnapshotTags;
import com.kfood.ops.testsupport.CallCounter;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

/** PruneFunction over real HTTP against moto; snapshot ages come from moving moto's RDS clock. */
@ExtendWith(MotoExtension.class)
class PruneFunctionIT {
    private Moto moto;
    private RdsClient rds;

    @BeforeEach
    void seed(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
        rds = moto.aws().build(RdsClient.builder(), "RDS");
    }

    private Env env(String... overrides) {
        Map<String, String> vars = new HashMap<>(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "MIN_SNAPSHOTS_KEPT",
                "2"));
        for (int i = 0; i < overrides.length; i += 2) {
            vars.put(overrides[i], overrides[i + 1]);
        }
        return moto.env(vars);
    }

    /** Creates a snapshot stamped {@code daysAgo} in the past by the emulator's clock. */
    private String snapshot(String id, String db, int daysAgo, Tag... tags) {
        moto.rdsClockAgo(Duration.ofDays(daysAgo));
        rds.createDBSnapshot(
                b -> b.dbInstanceIdentifier(db).dbSnapshotIdentifier(id).tags(tags));
        moto.rdsClockAgo(Duration.ZERO);
        return id;
    }

    private String ours(String db, int daysAgo, String minute) {
        Instant at = Instant.now().minus(Duration.ofDays(daysAgo));
        String id = SnapshotTags.snapshotId("kfood-ops", db, at).replaceAll("\\d{2}$", minute);
        return snapshot(id, db, daysAgo, tag("ManagedBy", "kfood-ops"), tag("kfood-ops:RetentionDays", "30"));
    }

    private static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    private List<String> remaining() {
        return rds.describeDBSnapshots(b -> b.snapshotType("manual")).dbSnapshots().stream()
                .map(DBSnapshot::dbSnapshotIdentifier)
                .toList();
    }

    @Test
    void keepsAnExpiredSnapshotWhileARestoreDrillUsesIt() {
        String inUse = ours(DB, 45, "01");
        String expired = ours(DB, 40, "02");
        ours(DB, 1, "03");
        ours(DB, 0, "04");
        rds.addTagsToResource(b -> b.resourceName("arn:aws:rds:ap-northeast-2:123456789012:snapshot:" + inUse)
                .tags(tag(
                        "kfood-ops:drill-in-use",
                        Instant.now().plus(Duration.ofHours(6)).toString())));

        JsonNode result = Invocations.invoke(new PruneHandler(env()), Invocations.event("events/prune/scheduler.json"));

        assertThat(result.path("deleted")).extracting(JsonNode::asText).containsExactly(expired);
        assertThat(remaining()).contains(inUse);
    }

    @Test
    void deletesOnlyThisStacksExpiredSnapshotsAndKeepsEverythingElse() {
        rds.createDBInstance(b -> b.dbInstanceIdentifier("kfood-analytics")
                .engine("postgres")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("a")
                .masterUserPassword("demo-only-password"));
        String expired1 = ours(DB, 45, "01");
        String expired2 = ours(DB, 35, "02");
        String fresh = ours(DB, 10, "03");
        String newest = ours(DB, 0, "04");
        String untagged = snapshot("kfood-ops-kfood-db-20261001-1805", DB, 40);
        String otherStack = snapshot("kfood-ops-kfood-db-20261001-1806", DB, 40, tag("ManagedBy", "kfood-ops-staging"));
        String manualKeep = snapshot("before-pg16-upgrade", DB, 60, tag("ManagedBy", "kfood-ops"));
        String otherDb = snapshot(
                "kfood-ops-kfood-analytics-20261001-1800", "kfood-analytics", 40, tag("ManagedBy", "kfood-ops"));

        JsonNode result = Invocations.invoke(new PruneHandler(env()), Invocations.event("events/prune/scheduler.json"));

        assertThat(result.path("deleted")).extracting(JsonNode::asText).containsExactlyInAnyOrder(expired1, expired2);
        assertThat(remaining())
                .contains(fresh, newest, untagged, otherStack, manualKeep, otherDb)
                .doesNotContain(expired1, expired2);
        assertThat(rds.describeDBSnapshots(b -> b.snapshotType("automated")).dbSnapshots())
                .isNotEmpty();
        assertThat(result.at("/freshness/0/status").asText()).isEqualTo("FRESH");
        assertThat(result.at("/freshness/0/newestSnapshot").asText()).isEqualTo(newest);
        var inbox = moto.drain(NOTIFICATIONS_TOPIC);
        assertThat(inbox).singleElement().satisfies(n -> {
            assertThat(n.subject()).startsWith("[OK] kfood-ops: Prune deleted 2 snapshot(s)");
            assertThat(n.description()).contains(expired1).contains("NOT\\_OURS");
        });
    }

    @Test
    void dryRunDeletesNothingAndListsWhatWouldGo() {
        String expired = ours(DB, 45, "01");
        ours(DB, 1, "02");
        ours(DB, 0, "03");
        JsonNode result =
                Invocations.invoke(new PruneHandler(env()), Invocations.event("events/prune/manual-dry-run.json"));
        assertThat(result.path("wouldDelete")).extracting(JsonNode::asText).containsExactly(expired);
        assertThat(result.path("deleted")).isEmpty();
        assertThat(remaining()).contains(expired);
    }

    @Test
    void noRecentSnapshotIsReportedStale() {
        ours(DB, 3, "01");
        JsonNode result = Invocations.invoke(new PruneHandler(env()), Invocations.event("events/prune/scheduler.json"));
        assertThat(result.at("/freshness/0/status").asText()).isEqualTo("STALE");
        assertThat(moto.drain(NOTIFICATIONS_TOPIC).get(0).subject())
                .startsWith("[ALERT]")
                .contains("backups not fresh");
    }

    @Test
    void twoThousandExpiredSnapshotsArePrunedInOneRunWithTheMinimumOfCalls() throws Exception {
        int expired = 2000;
        int floor = 7;
        moto.rdsClockAgo(Duration.ofDays(40));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < expired + floor; i++) {
            String id = String.format(
                    "kfood-ops-kfood-db-2026%02d%02d-%04d", 1 + i / 1000 % 9, 1 + i / 100 % 10, i % 10000);
            pool.submit(() -> rds.createDBSnapshot(
                    b -> b.dbInstanceIdentifier(DB).dbSnapshotIdentifier(id).tags(tag("ManagedBy", "kfood-ops"))));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        moto.rdsClockAgo(Duration.ZERO);

        CallCounter counter = new CallCounter();
        Env env = env("MIN_SNAPSHOTS_KEPT", String.valueOf(floor));
        Ops ops = Ops.create("PruneFunction", env, new AwsClients(env, List.of(counter)));
        OpsHandler handler = OpsHandler.of(ops, PruneHandler.wire(ops));
        long start = System.nanoTime();
        JsonNode result = Invocations.invoke(handler, Invocations.event("events/prune/scheduler.json"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "prune of %d expired snapshots on moto: %d ms, %d API calls %s%n",
                expired, ms, counter.total(), counter.snapshot());

        assertThat(result.path("deleted")).hasSize(expired);
        assertThat(result.path("complete").asBoolean()).isTrue();
        assertThat(remaining()).hasSize(floor);
        // one delete per snapshot, one describe per page (moto serves all in one page; paging is
        // covered by AwsRdsSnapshotsTest), one DescribeDBInstances for freshness, one DescribeAccountAttributes for the
        // quota outlook, one publish
        int describes = counter.get("Rds:DescribeDBSnapshots");
        assertThat(describes).isBetween(1, (expired + floor + 99) / 100);
        assertThat(counter.get("Rds:DeleteDBSnapshot")).isEqualTo(expired);
        assertThat(counter.get("Rds:DescribeDBInstances")).isEqualTo(1);
        assertThat(counter.get("Rds:DescribeAccountAttributes")).isEqualTo(1);
        assertThat(counter.get("Sns:Publish")).isEqualTo(1);
        assertThat(counter.total()).isEqualTo(expired + describes + 3);
    }

    @Test
    void theMonthlyTierKeepsTheMonthsFirstSnapshotAndTheQuotaIsProjected() {
        // two snapshots of ours in a month long past: the first is the month's, the second only expired
        String first = ours(DB, 75, "01");
        String second = ours(DB, 74, "02");
        ours(DB, 1, "03");
        ours(DB, 0, "04");
        snapshot("before-pg16-upgrade", DB, 90); // a person's: counted in the quota, never judged as ours

        JsonNode result = Invocations.invoke(
                new PruneHandler(env("MONTHLY_RETENTION_MONTHS", "6", "RETENTION_TIME_ZONE", "UTC")),
                Invocations.event("events/prune/scheduler.json"));

        assertThat(result.path("deleted")).extracting(JsonNode::asText).containsExactly(second);
        assertThat(remaining()).contains(first, "before-pg16-upgrade");
        assertThat(result.at("/keptSnapshots/" + first).asText()).isEqualTo("monthly");
        // five manual snapshots now; once full: the person's plus 30 dailies and up to 5 older monthlies
        assertThat(result.at("/quota/used").asLong()).isEqualTo(5);
        assertThat(result.at("/quota/steadyState").asLong()).isBetween(35L, 36L);
        assertThat(result.at("/quota/status").asText()).isEqualTo("OK");
    }
}
