package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoDatabase;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * The point-in-time and DR-region drills on the emulator (over HTTP): the local PostgreSQL holds
 * what a restore to the drill's time would (rows on both sides of it in the source, none after it
 * in the restored copy); the DR drill restores the copy in ap-northeast-1 and is torn down there.
 */
@ExtendWith(MotoExtension.class)
class PointInTimeDrillIT {
    private static final String SOURCE_DATABASE = "kfood_pitr_source_it";
    private static final String RESTORED_DATABASE = "kfood_pitr_restored_it";
    private static final String DB = DemoPlatform.DB;
    private static final Instant START = Instant.parse("2026-12-05T17:00:00Z");
    /** 57 s before the newest row's minute ends: the newest row at or before it is START - 60 s. */
    private static final Instant TARGET = START.minusSeconds(57);

    private static final String PITR = DemoPlatform.SNAPSHOT_PREFIX + "-drill-" + DB + "-20261205-pitr";
    private static final String DR = DemoPlatform.SNAPSHOT_PREFIX + "-drill-" + DB + "-20261205-dr";

    private final MutableClock clock = new MutableClock(START);
    private final RecordingMetrics metrics = new RecordingMetrics();
    private Moto moto;
    private RdsClient rds;
    private RdsClient tokyo;

    @BeforeAll
    static void databases() throws SQLException {
        // the source has rows up to START, on both sides of the target; the restore holds those before it
        DemoDatabase.recreate(SOURCE_DATABASE, false, START);
        DemoDatabase.restoredAt(SOURCE_DATABASE, RESTORED_DATABASE, TARGET);
    }

    @BeforeEach
    void platform(Moto moto) {
        this.moto = moto;
        // the database exists two days before the test's time, and RDS's clock is the test's
        moto.rdsClockAt(START.minus(Duration.ofDays(2)));
        moto.seedPlatform();
        moto.rdsClockAt(START);
        rds = moto.aws().build(RdsClient.builder(), "RDS");
        tokyo = moto.aws().build(RdsClient.builder(), "RDS", Region.of(DemoPlatform.DR_REGION));
        moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC);
    }

    private OpsHandler drill(String database) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "SNAPSHOT_PREFIX",
                DemoPlatform.SNAPSHOT_PREFIX,
                "STACK_NAME",
                "kfood-ops",
                "STATE_BUCKET",
                DemoPlatform.STATE_BUCKET,
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(DemoPlatform.NOTIFICATIONS_TOPIC),
                "DRILL_SUBNET_GROUP",
                DemoPlatform.DRILL_SUBNET_GROUP,
                "DRILL_SECURITY_GROUP_IDS",
                DemoPlatform.DRILL_SECURITY_GROUP,
                "DRILL_DATABASE",
                database,
                "DB_SSLMODE",
                "disable",
                "DRILL_DB_ENDPOINT_OVERRIDE",
                "127.0.0.1:5432"));
        env.put("DRILL_TABLES", "restaurants,user_interactions");
        env.put("DRILL_FRESHNESS", "user_interactions.created_at");
        env.put("DRILL_FRESHNESS_TOLERANCE_MINUTES", String.valueOf(6 * 60));
        env.put("DR_REGION", DemoPlatform.DR_REGION);
        env.put("DRILL_DR_SUBNET_GROUP", DemoPlatform.DR_DRILL_SUBNET_GROUP);
        env.put("DRILL_DR_SECURITY_GROUP_IDS", DemoPlatform.DRILL_SECURITY_GROUP);
        Env vars = moto.env(env);
        Ops ops = new Ops(
                "RestoreDrillFunction",
                vars,
                clock,
                new OpsLog("RestoreDrillFunction", clock, new PrintStream(OutputStream.nullOutputStream())),
                metrics,
                new AwsClients(vars));
        return OpsHandler.of(ops, RestoreDrillHandler.wire(ops));
    }

    private static JsonNode invoke(OpsHandler drill, String json) {
        return Invocations.invoke(drill, Invocations.json(json));
    }

    private static final String WATCH = "{\"action\":\"watch\"}";

    private boolean exists(RdsClient in, String id) {
        return in.describeDBInstances().dbInstances().stream()
                .anyMatch(i -> i.dbInstanceIdentifier().equals(id));
    }

    @Test
    void aPointInTimeDrillRestoresToItsTargetAndMeasuresTheRecoveryPointInTheData() {
        OpsHandler drill = drill(RESTORED_DATABASE);
        JsonNode started =
                invoke(drill, "{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"" + TARGET + "\"}");
        assertThat(started.path("outcome").asText()).isEqualTo("started");
        assertThat(exists(rds, PITR)).isTrue();
        // a start delivered again restores nothing more
        assertThat(invoke(drill, "{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"" + TARGET + "\"}")
                        .path("outcome")
                        .asText())
                .isEqualTo("already started: no second restore");

        clock.advance(Duration.ofMinutes(11));
        JsonNode done = invoke(drill, WATCH);

        assertThat(done.path("databases").get(0).path("outcome").asText()).isEqualTo("PASS");
        assertThat(exists(rds, PITR)).as("the scratch instance is deleted").isFalse();
        List<Inbox.Published> sent = moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC);
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.title()).endsWith("Point-in-time restore drill PASS (20261205-1700-pitr)");
            assertThat(n.raw())
                    .contains("restored to " + TARGET + ", newest row " + START.minusSeconds(60) + ", lag 3 s");
        });
        assertThat(metrics.sum("RecoveryPointLagSeconds")).isEqualTo(3.0);
    }

    @Test
    void thePointInTimeDrillFailsWhenTheRestoredDataGoesPastItsTarget() {
        // validated against the source itself: rows after the target are there, as a wrong restore would hold
        OpsHandler drill = drill(SOURCE_DATABASE);
        invoke(drill, "{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"" + TARGET + "\"}");
        clock.advance(Duration.ofMinutes(11));
        JsonNode done = invoke(drill, WATCH);

        assertThat(done.path("databases").get(0).path("outcome").asText()).isEqualTo("FAIL");
        assertThat(exists(rds, PITR)).isFalse();
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC))
                .singleElement()
                .satisfies(n -> assertThat(n.raw()).contains("a row newer than the restore point"));
    }

    @Test
    void aTargetPastTheLatestRestorableTimeStartsNothing() {
        OpsHandler drill = drill(RESTORED_DATABASE);
        clock.advance(Duration.ofMinutes(30)); // the test's now moves on; RDS's latest restorable time is START
        JsonNode refused = invoke(
                drill,
                "{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"" + START.plusSeconds(600) + "\"}");

        assertThat(refused.path("outcome").asText())
                .startsWith("refused: restoreTime")
                .contains("LatestRestorableTime");
        assertThat(exists(rds, PITR)).isFalse();
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC)).isEmpty();
    }

    /** A snapshot of ours, copied to the DR region as the snapshot function's DR copies are (tags kept). */
    private String copiedToTokyo() {
        String snapshot = DemoPlatform.SNAPSHOT_PREFIX + "-" + DB + "-20261205-1200";
        rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB)
                .dbSnapshotIdentifier(snapshot)
                .tags(Tag.builder().key("ManagedBy").value("kfood-ops").build()));
        String arn = rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(snapshot))
                .dbSnapshots()
                .getFirst()
                .dbSnapshotArn();
        tokyo.copyDBSnapshot(b -> b.sourceDBSnapshotIdentifier(arn)
                .targetDBSnapshotIdentifier(snapshot)
                .sourceRegion(DemoPlatform.REGION)
                .copyTags(true));
        return snapshot;
    }

    @Test
    void aDrRegionDrillRestoresTheCopyThereAndIsTornDownThere() {
        String snapshot = copiedToTokyo();
        OpsHandler drill = drill(RESTORED_DATABASE);
        JsonNode started = invoke(drill, "{\"action\":\"start\",\"mode\":\"drRegion\"}");
        assertThat(started.path("outcome").asText()).isEqualTo("started");
        assertThat(exists(tokyo, DR)).isTrue();
        assertThat(exists(rds, DR)).isFalse();

        clock.advance(Duration.ofMinutes(12));
        JsonNode done = invoke(drill, WATCH);

        assertThat(done.path("databases").get(0).path("outcome").asText()).isEqualTo("PASS");
        assertThat(exists(tokyo, DR)).as("torn down in the DR region").isFalse();
        assertThat(tokyo.describeDBSnapshots(b -> b.dbSnapshotIdentifier(snapshot))
                        .dbSnapshots()
                        .getFirst()
                        .tagList())
                .extracting(Tag::key)
                .doesNotContain("kfood-ops:drill-in-use");
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC))
                .singleElement()
                .satisfies(n -> assertThat(n.title())
                        .endsWith("DR-region restore drill (ap-northeast-1) PASS (20261205-1700-dr)"));
    }

    @Test
    void theWatchdogDeletesAnExpiredDrInstanceThere() {
        copiedToTokyo();
        OpsHandler drill = drill(RESTORED_DATABASE);
        invoke(drill, "{\"action\":\"start\",\"mode\":\"drRegion\"}");
        clock.advance(Duration.ofHours(7)); // past DRILL_EXPIRES_HOURS

        invoke(drill, WATCH);

        assertThat(exists(tokyo, DR)).isFalse();
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC))
                .singleElement()
                .satisfies(n -> assertThat(n.raw()).contains("expired before it was validated"));
    }
}
