package com.kfood.ops.snapshot;

import static com.kfood.ops.emulator.DemoPlatform.DB;
import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.shared.Env;
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

/** Copies in a second region of moto: started by the run's catch-up or by RDS's event, never twice, never of what is not ours. */
@ExtendWith(MotoExtension.class)
class DrCopiesIT {
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

    private Env env(String... overrides) {
        Map<String, String> vars = new HashMap<>(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "DR_REGION",
                DR));
        for (int i = 0; i < overrides.length; i += 2) {
            vars.put(overrides[i], overrides[i + 1]);
        }
        return moto.env(vars);
    }

    private List<String> copies() {
        return dr.describeDBSnapshots(b -> b.snapshotType("manual")).dbSnapshots().stream()
                .map(DBSnapshot::dbSnapshotIdentifier)
                .sorted()
                .toList();
    }

    private void snapshot(String id, int daysAgo, Tag... tags) {
        moto.rdsClockAgo(Duration.ofDays(daysAgo));
        rds.createDBSnapshot(
                b -> b.dbInstanceIdentifier(DB).dbSnapshotIdentifier(id).tags(tags));
        moto.rdsClockAgo(Duration.ZERO);
    }

    private static Tag ours() {
        return Tag.builder().key("ManagedBy").value("kfood-ops").build();
    }

    @Test
    void theRunCopiesItsSnapshotAndTheOnesMissedOnceAndOnlyOurs() {
        snapshot("kfood-ops-kfood-db-20261120-1800", 5, ours());
        snapshot("kfood-ops-kfood-db-20261001-1800", 40, ours()); // past the DR retention: not copied
        snapshot("before-pg16-upgrade", 3); // a person's: never copied

        JsonNode first =
                Invocations.invoke(new SnapshotHandler(env()), Invocations.event("events/snapshot/scheduler.json"));
        assertThat(first.path("drRegion").asText()).isEqualTo(DR);
        assertThat(copies()).containsExactly("kfood-ops-kfood-db-20261120-1800", "kfood-ops-kfood-db-20261125-1800");
        assertThat(first.path("drCopies"))
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.path("status").asText()).isEqualTo("COPIED"));
        DBSnapshot copy = dr.describeDBSnapshots(b -> b.dbSnapshotIdentifier("kfood-ops-kfood-db-20261125-1800"))
                .dbSnapshots()
                .getFirst();
        assertThat(copy.tagList()).contains(ours()); // the copy is ours too: the DR prune may judge it

        JsonNode again =
                Invocations.invoke(new SnapshotHandler(env()), Invocations.event("events/snapshot/scheduler.json"));
        assertThat(again.path("drCopies")).isEmpty(); // only what a run did is listed
        assertThat(again.path("drAlreadyCopied").asInt()).isEqualTo(2);
        assertThat(copies()).hasSize(2);
    }

    @Test
    void rdsSnapshotEventCopiesThatSnapshotAndARedeliveryCopiesNothing() {
        snapshot("kfood-ops-kfood-db-20261205-1800", 0, ours());
        JsonNode copied = Invocations.invoke(
                new SnapshotHandler(env()), Invocations.event("events/snapshot/rds-snapshot-created.json"));
        assertThat(copied.at("/copies/0/status").asText()).isEqualTo("COPIED");
        JsonNode redelivered = Invocations.invoke(
                new SnapshotHandler(env()), Invocations.event("events/snapshot/rds-snapshot-created.json"));
        assertThat(redelivered.at("/copies/0/status").asText()).isEqualTo("ALREADY_COPIED");
        assertThat(copies()).containsExactly("kfood-ops-kfood-db-20261205-1800");
    }

    @Test
    void aForeignSnapshotsEventCopiesNothing() {
        snapshot("before-pg16-upgrade", 0);
        String event = new String(Invocations.event("events/snapshot/rds-snapshot-created.json"))
                .replace("kfood-ops-kfood-db-20261205-1800", "before-pg16-upgrade");
        JsonNode result = Invocations.invoke(new SnapshotHandler(env()), Invocations.json(event));
        assertThat(result.path("copies")).isEmpty();
        assertThat(copies()).isEmpty();
    }
}
