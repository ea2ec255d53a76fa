package com.kfood.ops.prune;

import static com.kfood.ops.emulator.DemoPlatform.DB;
import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

/** The prune in the DR region of moto: its own retention, never what is not ours, the copies' freshness. */
@ExtendWith(MotoExtension.class)
class PruneDrIT {
    private static final String DR = "ap-northeast-1";

    private Moto moto;
    private RdsClient rds;
    private RdsClient dr;

    @BeforeEach
    void seed(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
        rds = moto.aws().build(RdsClient.builder(), "RDS");
        dr = moto.aws().build(RdsClient.builder(), "RDS", Region.of(DR));
    }

    /** A snapshot at home and its copy in the DR region, both stamped {@code daysAgo}. */
    private void copied(String id, int daysAgo, boolean ours) {
        moto.rdsClockAgo(Duration.ofDays(daysAgo));
        rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB)
                .dbSnapshotIdentifier(id)
                .tags(
                        ours
                                ? List.of(Tag.builder()
                                        .key("ManagedBy")
                                        .value("kfood-ops")
                                        .build())
                                : List.of()));
        dr.copyDBSnapshot(b -> b.sourceDBSnapshotIdentifier("arn:aws:rds:ap-northeast-2:123456789012:snapshot:" + id)
                .targetDBSnapshotIdentifier(id)
                .sourceRegion("ap-northeast-2")
                .copyTags(true));
        moto.rdsClockAgo(Duration.ZERO);
    }

    /** The prune with a DR region, plus {@code vars}. */
    private PruneHandler handler(String... vars) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "DR_REGION",
                DR));
        for (int i = 0; i + 1 < vars.length; i += 2) {
            env.put(vars[i], vars[i + 1]);
        }
        return new PruneHandler(moto.env(env));
    }

    private List<String> inDr() {
        return dr.describeDBSnapshots(b -> b.snapshotType("manual")).dbSnapshots().stream()
                .map(DBSnapshot::dbSnapshotIdentifier)
                .sorted()
                .toList();
    }

    @Test
    void theDrRegionKeepsItsOwnRetentionAndNeverTouchesWhatIsNotOurs() {
        copied("kfood-ops-kfood-db-20260901-1800", 80, true);
        copied("kfood-ops-kfood-db-20261020-1800", 38, true);
        copied("kfood-ops-kfood-db-20261124-1800", 1, true);
        copied("before-pg16-upgrade", 90, false);

        JsonNode result = Invocations.invoke(
                handler("MIN_SNAPSHOTS_KEPT", "1", "DR_RETENTION_DAYS", "60"),
                Invocations.event("events/prune/scheduler.json"));

        // home keeps 30 days; the DR region 60: the 38-day copy stays there, the 80-day one goes
        assertThat(result.path("deleted"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("kfood-ops-kfood-db-20260901-1800", "kfood-ops-kfood-db-20261020-1800");
        assertThat(result.at("/dr/deleted"))
                .extracting(JsonNode::asText)
                .containsExactly("kfood-ops-kfood-db-20260901-1800");
        assertThat(inDr())
                .containsExactly(
                        "before-pg16-upgrade", "kfood-ops-kfood-db-20261020-1800", "kfood-ops-kfood-db-20261124-1800");
        assertThat(result.at("/dr/freshness/0/status").asText()).isEqualTo("FRESH");
        assertThat(result.at("/dr/freshness/0/newestSnapshot").asText()).isEqualTo("kfood-ops-kfood-db-20261124-1800");
    }

    @Test
    void aDrRegionThatHasNoFreshCopyMakesTheRunsNotificationLoud() {
        copied("kfood-ops-kfood-db-20261124-1800", 5, true); // home and DR both: the copy is five days old
        Invocations.invoke(handler(), Invocations.event("events/prune/scheduler.json"));
        var published = moto.drain(NOTIFICATIONS_TOPIC).getFirst();
        assertThat(published.subject()).startsWith("[ALERT]").contains("DR copies not fresh");
        assertThat(published.description()).contains("STALE");
    }
}
