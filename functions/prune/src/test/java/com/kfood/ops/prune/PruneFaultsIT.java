package com.kfood.ops.prune;

import static com.kfood.ops.emulator.DemoPlatform.DB;
import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.testsupport.FaultProxy;
import com.kfood.ops.testsupport.FaultProxy.Fault;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The prune through a fault-injecting proxy: throttling bursts, 5xx, resets before and after moto
 * did the work, slow answers. Invariants: nothing policy keeps is deleted, what is reported deleted
 * is gone, failures are reported as failures, and the run ends before Lambda's deadline.
 */
@ExtendWith(MotoExtension.class)
class PruneFaultsIT {
    private Moto moto;
    private RdsClient rds;
    private final List<String> expired = new ArrayList<>();
    private final Set<String> kept = new HashSet<>();

    @BeforeEach
    void seed(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
        rds = moto.aws().build(RdsClient.builder(), "RDS");
        Tag ours = Tag.builder().key("ManagedBy").value("kfood-ops").build();
        moto.rdsClockAgo(Duration.ofDays(40));
        for (int i = 0; i < 30; i++) {
            String id = String.format("kfood-ops-kfood-db-202610%02d-1800", i + 1);
            rds.createDBSnapshot(
                    b -> b.dbInstanceIdentifier(DB).dbSnapshotIdentifier(id).tags(ours));
            expired.add(id);
        }
        rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB)
                .dbSnapshotIdentifier("kfood-ops-kfood-db-20261001-0000")
                .tags(Tag.builder().key("ManagedBy").value("someone-else").build()));
        kept.add("kfood-ops-kfood-db-20261001-0000");
        moto.rdsClockAgo(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            String id = String.format("kfood-ops-kfood-db-202611%02d-1800", i + 20);
            rds.createDBSnapshot(
                    b -> b.dbInstanceIdentifier(DB).dbSnapshotIdentifier(id).tags(ours));
            kept.add(id);
        }
    }

    private Set<String> present() {
        Set<String> out = new HashSet<>();
        rds.describeDBSnapshots(b -> b.snapshotType("manual")).dbSnapshots().stream()
                .map(DBSnapshot::dbSnapshotIdentifier)
                .forEach(out::add);
        return out;
    }

    private PruneHandler handler(FaultProxy proxy, String... vars) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "STACK_NAME",
                "kfood-ops",
                "MIN_SNAPSHOTS_KEPT",
                "3",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "AWS_ENDPOINT_URL",
                proxy.endpoint().toString(),
                "AWS_MAX_ATTEMPTS",
                "5"));
        for (int i = 0; i < vars.length; i += 2) {
            env.put(vars[i], vars[i + 1]);
        }
        return new PruneHandler(moto.env(env));
    }

    @Test
    void throttlingFiveXxAndResetsLoseNothingAndClaimNothingFalse() throws Exception {
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> switch (call.sequence() % 7) {
                case 1 -> Fault.THROTTLE;
                case 2 -> call.operation().equals("DeleteDBSnapshot") ? Fault.RESET_AFTER : Fault.THROTTLE;
                case 4 -> Fault.SERVER_ERROR;
                case 5 -> Fault.RESET;
                default -> Fault.NONE;
            });
            JsonNode result = Invocations.invoke(handler(proxy), Invocations.event("events/prune/scheduler.json"));
            System.out.printf(
                    "reliability: prune under faults %s -> deleted %d, already gone %d, failed %d, left %d%n",
                    proxy.injected(),
                    result.path("deleted").size(),
                    result.path("alreadyGone").size(),
                    result.path("failures").size(),
                    result.path("remaining").size());

            Set<String> present = present();
            assertThat(present).containsAll(kept);
            result.path("deleted").forEach(id -> assertThat(present).doesNotContain(id.asText()));
            assertThat(proxy.injected())
                    .containsKeys(Fault.THROTTLE, Fault.SERVER_ERROR, Fault.RESET, Fault.RESET_AFTER);
            // every due snapshot is accounted for exactly: deleted, already gone (a lost answer, retried), failed, or
            // left
            Set<String> accounted = new HashSet<>();
            for (String list : List.of("deleted", "alreadyGone", "remaining")) {
                result.path(list)
                        .forEach(id -> assertThat(accounted.add(id.asText()))
                                .as(id.asText())
                                .isTrue());
            }
            result.path("failures")
                    .forEach(f -> assertThat(accounted.add(
                                    f.asText().substring(0, f.asText().indexOf(':'))))
                            .isTrue());
            assertThat(accounted).containsExactlyInAnyOrderElementsOf(expired);
            result.path("alreadyGone").forEach(id -> assertThat(present).doesNotContain(id.asText()));
        }
    }

    @Test
    void aDeleteThatKeepsFailingIsReportedAsAFailureAndTheSnapshotStays() throws Exception {
        String stubborn = expired.get(5);
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            // every attempt to delete that one snapshot fails; the others go through
            proxy.plan(call -> call.operation().equals("DeleteDBSnapshot")
                            && call.body().contains("DBSnapshotIdentifier=" + stubborn)
                    ? Fault.SERVER_ERROR
                    : Fault.NONE);
            JsonNode result = Invocations.invoke(
                    handler(proxy, "AWS_MAX_ATTEMPTS", "2"), Invocations.event("events/prune/scheduler.json"));
            Set<String> present = present();
            assertThat(result.path("failures")).hasSize(1);
            assertThat(result.at("/failures/0").asText()).startsWith(stubborn + ": ");
            assertThat(present).contains(stubborn).containsAll(kept);
            assertThat(result.path("deleted")).hasSize(expired.size() - 1);
            result.path("deleted").forEach(id -> assertThat(id.asText()).isNotEqualTo(stubborn));
            assertThat(moto.drain(NOTIFICATIONS_TOPIC).getFirst().subject())
                    .startsWith("[ALERT]")
                    .contains("failed");
        }
    }

    @Test
    void slowAnswersNearTheDeadlineEndTheRunInTimeWithTheRestReported() throws Exception {
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.slowMillis(700);
            proxy.plan(call -> call.operation().equals("DeleteDBSnapshot") ? Fault.SLOW : Fault.NONE);
            long start = System.nanoTime();
            JsonNode result = Invocations.invoke(
                    handler(proxy, "DEADLINE_MARGIN_SECONDS", "20", "PRUNE_CONCURRENCY", "2"),
                    Invocations.event("events/prune/scheduler.json"),
                    24);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(seconds).isLessThan(24); // Lambda's deadline: the run must end before it, not be killed by it
            assertThat(result.path("complete").asBoolean()).isFalse();
            assertThat(result.path("remaining").size()).isPositive();
            assertThat(result.path("deleted").size() + result.path("remaining").size())
                    .isEqualTo(expired.size());
            Set<String> present = present();
            result.path("remaining").forEach(id -> assertThat(present).contains(id.asText()));
        }
    }
}
