package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoDatabase;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Json;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.RestoreDbInstanceFromDbSnapshotRequest;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Whole drills on the emulator (over HTTP) with the machine's PostgreSQL standing in for the
 * restored instance's database: started, moved on by RDS events and the watchdog, validated,
 * reported, and always torn down.
 */
@ExtendWith(MotoExtension.class)
class RestoreDrillIT {
    private static final String DATABASE = "kfood_drill_it";
    private static final String DB = DemoPlatform.DB;
    private static final String PREFIX = DemoPlatform.SNAPSHOT_PREFIX;
    private static final String START = "2026-12-05T17:00:00Z";
    private static final String INSTANCE = PREFIX + "-drill-" + DB + "-20261205";

    /** One time for the whole test: the schedule's (events/drill/scheduler.json), never the wall clock. */
    private final MutableClock clock = new MutableClock(Instant.parse(START));

    private final RecordingMetrics metrics = new RecordingMetrics();
    /** What the function asked AWS for (the emulator ignores a restore's false flags: it keeps the source's). */
    private final List<SdkRequest> requests = new CopyOnWriteArrayList<>();

    private Moto moto;
    private RdsClient rds;
    private S3Client s3;

    @BeforeAll
    static void database() throws SQLException {
        DemoDatabase.recreate(DATABASE, false, Instant.parse(START));
    }

    @BeforeEach
    void platform(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
        rds = moto.aws().build(RdsClient.builder(), "RDS");
        s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        // the emulator stamps snapshots with its own clock: set to the test's, whatever today is
        moto.rdsClockAt(clock.instant().minus(Duration.ofHours(5)));
        snapshot("kfood-ops-dev-kfood-db-20261205-1200", "kfood-ops");
        moto.rdsClockAt(clock.instant().minus(Duration.ofDays(40)));
        snapshot("kfood-ops-dev-kfood-db-20261026-1200", "kfood-ops");
        moto.rdsClockAt(clock.instant());
        moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC);
    }

    private void snapshot(String id, String managedBy) {
        rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB)
                .dbSnapshotIdentifier(id)
                .tags(Tag.builder().key("ManagedBy").value(managedBy).build()));
    }

    private OpsHandler drill(String... vars) {
        Map<String, String> env = new HashMap<>(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "SNAPSHOT_PREFIX",
                PREFIX,
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
                DATABASE,
                "DB_SSLMODE",
                "disable",
                "DRILL_DB_ENDPOINT_OVERRIDE",
                "127.0.0.1:5432"));
        env.put("DRILL_MODES", "snapshot"); // the snapshot drill alone; PointInTimeDrillIT has the others
        env.put("DRILL_TABLES", "restaurants,user_interactions");
        env.put(
                "DRILL_CHECKS",
                "[{\"name\":\"restaurants\",\"sql\":\"SELECT count(*) FROM restaurants\",\"min\":1000}]");
        env.put("DRILL_FRESHNESS", "user_interactions.created_at");
        env.put(
                "DRILL_FRESHNESS_TOLERANCE_MINUTES",
                String.valueOf(6 * 60)); // the snapshot is 5 h old, the rows are new
        for (int i = 0; i + 1 < vars.length; i += 2) {
            env.put(vars[i], vars[i + 1]);
        }
        Ops ops = new Ops(
                "RestoreDrillFunction",
                moto.env(env),
                clock,
                new OpsLog("RestoreDrillFunction", clock, new PrintStream(OutputStream.nullOutputStream())),
                metrics,
                new AwsClients(moto.env(env), List.of(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        requests.add(context.request());
                    }
                })));
        return OpsHandler.of(ops, RestoreDrillHandler.wire(ops));
    }

    private static JsonNode start(OpsHandler drill) {
        return Invocations.invoke(drill, Invocations.event("events/drill/scheduler.json"));
    }

    /** RDS's event for the instance, sent at the test clock's time (as RDS would stamp it). */
    private JsonNode rdsEvent(OpsHandler drill, String instance) {
        String at = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String event = new String(Invocations.event("events/drill/rds-instance-restored.json"))
                .replace("kfood-ops-dev-drill-kfood-db-20261205", instance)
                .replace("2026-12-05T17:24:12.000Z", at)
                .replace("2026-12-05T17:24:12Z", at);
        return Invocations.invoke(drill, Invocations.json(event));
    }

    private static JsonNode watch(OpsHandler drill) {
        return Invocations.invoke(drill, Invocations.event("events/drill/watchdog.json"));
    }

    private Optional<DBInstance> instance(String id) {
        return rds.describeDBInstances().dbInstances().stream()
                .filter(i -> i.dbInstanceIdentifier().equals(id))
                .findFirst();
    }

    private Map<String, String> snapshotTags(String id) {
        Map<String, String> tags = new HashMap<>();
        rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(id))
                .dbSnapshots()
                .getFirst()
                .tagList()
                .forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private JsonNode stored(String key) {
        return Json.parseEmbedded(
                s3.getObjectAsBytes(b -> b.bucket(DemoPlatform.STATE_BUCKET).key(key))
                        .asUtf8String());
    }

    @Test
    void aDrillRestoresTheNewestSnapshotValidatesItReportsOnceAndLeavesNothing() {
        OpsHandler drill = drill();
        JsonNode started = start(drill);

        assertThat(started.path("outcome").asText()).isEqualTo("started");
        DBInstance restoring = instance(INSTANCE).orElseThrow();
        RestoreDbInstanceFromDbSnapshotRequest asked = requests.stream()
                .filter(RestoreDbInstanceFromDbSnapshotRequest.class::isInstance)
                .map(RestoreDbInstanceFromDbSnapshotRequest.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(asked.multiAZ()).isFalse();
        assertThat(asked.publiclyAccessible()).isFalse();
        assertThat(asked.deletionProtection()).isFalse();
        assertThat(asked.manageMasterUserPassword()).isTrue();
        assertThat(asked.vpcSecurityGroupIds()).containsExactly(DemoPlatform.DRILL_SECURITY_GROUP);
        assertThat(restoring.dbInstanceClass()).isEqualTo("db.t4g.micro");
        assertThat(restoring.dbSubnetGroup().dbSubnetGroupName()).isEqualTo(DemoPlatform.DRILL_SUBNET_GROUP);
        assertThat(restoring.masterUserSecret())
                .as("fresh credentials that RDS keeps")
                .isNotNull();
        assertThat(restoring.tagList())
                .extracting(Tag::key)
                .contains("ManagedBy", "kfood-ops:drill", "kfood-ops:expires");
        assertThat(snapshotTags("kfood-ops-dev-kfood-db-20261205-1200")).containsKey("kfood-ops:drill-in-use");

        clock.advance(Duration.ofMinutes(14));
        JsonNode done = rdsEvent(drill, INSTANCE);

        assertThat(done.path("outcome").asText()).isEqualTo("PASS");
        JsonNode result = done.path("databases").get(0);
        assertThat(result.path("snapshot").asText()).isEqualTo("kfood-ops-dev-kfood-db-20261205-1200");
        assertThat(result.path("restoreMinutes").asDouble()).isEqualTo(14.0);
        assertThat(result.path("dataLagMinutes").asLong())
                .as("rows newer than the 5-hour-old snapshot")
                .isLessThan(0);
        assertThat(result.path("validatedAgainst").asText()).contains("local PostgreSQL");
        assertThat(instance(INSTANCE)).as("the scratch instance is deleted").isEmpty();
        assertThat(snapshotTags("kfood-ops-dev-kfood-db-20261205-1200")).doesNotContainKey("kfood-ops:drill-in-use");
        assertThat(stored("drills/runs/20261205-1700/report.json")
                        .path("outcome")
                        .asText())
                .isEqualTo("PASS");
        assertThat(stored("drills/last-pass.json").path("runId").asText()).isEqualTo("20261205-1700");
        assertThat(metrics.sum("DrillSucceeded")).isEqualTo(1.0);
        assertThat(metrics.sum("RestoreMinutes")).isEqualTo(14.0);

        List<Inbox.Published> sent = moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC);
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().title()).contains("Restore drill PASS");
        assertThat(sent.getFirst().raw())
                .contains("check restaurants", "time to available", "data lag", "cost")
                .doesNotContain("password", "P@55w");

        // RDS's later events and the watchdog find nothing left to do, and say nothing more
        rdsEvent(drill, INSTANCE);
        watch(drill);
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC)).isEmpty();
    }

    @Test
    void aRedeliveredStartNeverStartsASecondRestore() {
        OpsHandler drill = drill();
        start(drill);
        JsonNode again = start(drill);
        assertThat(again.path("outcome").asText()).startsWith("already started");
        rdsEvent(drill, INSTANCE);
        assertThat(instance(INSTANCE)).isEmpty();

        JsonNode afterwards = start(drill);
        assertThat(afterwards.path("outcome").asText()).startsWith("already started");
        assertThat(instance(INSTANCE))
                .as("the finished drill is not restored again")
                .isEmpty();
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC)).hasSize(1);
    }

    @Test
    void aRefusedRestoreIsAFailedDrillAndReleasesTheSnapshot() {
        OpsHandler drill = drill("DRILL_SUBNET_GROUP", "no-such-subnet-group");
        JsonNode started = start(drill);

        assertThat(started.path("databases").get(0).path("outcome").asText())
                .startsWith("FAIL: restore refused")
                .contains("DBSubnetGroupNotFound");
        assertThat(instance(INSTANCE)).isEmpty();
        assertThat(snapshotTags("kfood-ops-dev-kfood-db-20261205-1200")).doesNotContainKey("kfood-ops:drill-in-use");
        List<Inbox.Published> sent = moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC);
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().title()).contains("Restore drill FAIL");
        assertThat(metrics.sum("DrillSucceeded")).isZero();
    }

    @Test
    void anInstanceThatNeverBecomesAvailableIsDeletedByTheWatchdogAtItsExpiry() {
        OpsHandler drill = drill();
        start(drill);
        rds.stopDBInstance(b -> b.dbInstanceIdentifier(INSTANCE)); // never "available" from here on

        clock.advance(Duration.ofHours(1));
        assertThat(watch(drill).path("databases").get(0).path("outcome").asText())
                .isEqualTo("waiting: instance stopped");
        assertThat(instance(INSTANCE)).isPresent();

        clock.advance(Duration.ofHours(5).plusMinutes(1));
        watch(drill);
        assertThat(instance(INSTANCE)).isEmpty();
        JsonNode report = stored("drills/runs/20261205-1700/report.json");
        assertThat(report.path("outcome").asText()).isEqualTo("FAIL");
        assertThat(report.path("databases").get(0).path("failure").asText())
                .startsWith("expired before it was validated");
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC)).hasSize(1);
    }

    @Test
    void aFailedValidationStillTearsDown() {
        OpsHandler drill = drill(
                "DRILL_CHECKS",
                "[{\"name\":\"restaurants\",\"sql\":\"SELECT count(*) FROM restaurants\",\"min\":1000000}]");
        start(drill);
        JsonNode done = rdsEvent(drill, INSTANCE);

        assertThat(done.path("outcome").asText()).isEqualTo("FAIL");
        assertThat(done.path("databases").get(0).path("failure").asText())
                .isEqualTo("check restaurants: 1200 outside >= 1000000");
        assertThat(instance(INSTANCE)).isEmpty();
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC).getFirst().title())
                .contains("FAIL");
    }

    @Test
    void aLeftoverDrillInstanceOfACrashedRunIsDeletedAndReported() {
        String leftover = PREFIX + "-drill-" + DB + "-20261101";
        rds.restoreDBInstanceFromDBSnapshot(b -> b.dbInstanceIdentifier(leftover)
                .dbSnapshotIdentifier("kfood-ops-dev-kfood-db-20261205-1200")
                .dbSubnetGroupName(DemoPlatform.DRILL_SUBNET_GROUP)
                .tags(tags("kfood-ops", clock.instant().minus(Duration.ofHours(1)))));

        watch(drill());

        assertThat(instance(leftover)).isEmpty();
        List<Inbox.Published> sent = moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC);
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().raw()).contains("expired before it was validated");
    }

    @Test
    void aLookAlikeInstanceNotTaggedOursIsNeverTouched() {
        String lookAlike = PREFIX + "-drill-" + DB + "-20261102";
        String someoneElses = PREFIX + "-drill-" + DB + "-20261103";
        rds.restoreDBInstanceFromDBSnapshot(b -> b.dbInstanceIdentifier(lookAlike)
                .dbSnapshotIdentifier("kfood-ops-dev-kfood-db-20261205-1200")
                .dbSubnetGroupName(DemoPlatform.DRILL_SUBNET_GROUP));
        rds.restoreDBInstanceFromDBSnapshot(b -> b.dbInstanceIdentifier(someoneElses)
                .dbSnapshotIdentifier("kfood-ops-dev-kfood-db-20261205-1200")
                .dbSubnetGroupName(DemoPlatform.DRILL_SUBNET_GROUP)
                .tags(tags("another-stack", clock.instant().minus(Duration.ofDays(3)))));
        OpsHandler drill = drill();

        assertThat(rdsEvent(drill, lookAlike).path("outcome").asText()).isEqualTo("not ours: left alone");
        assertThat(rdsEvent(drill, someoneElses).path("outcome").asText()).isEqualTo("not ours: left alone");
        clock.advance(Duration.ofDays(10));
        watch(drill);

        assertThat(instance(lookAlike)).isPresent();
        assertThat(instance(someoneElses)).isPresent();
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC)).isEmpty();
    }

    @Test
    void aDryRunSaysWhatItWouldRestoreAndChangesNothing() {
        JsonNode planned = Invocations.invoke(drill(), Invocations.event("events/drill/manual-dry-run.json"));

        assertThat(planned.path("dryRun").asBoolean()).isTrue();
        JsonNode line = planned.path("databases").get(0);
        assertThat(line.path("snapshot").asText()).isEqualTo("kfood-ops-dev-kfood-db-20261205-1200");
        assertThat(line.path("instanceClass").asText()).isEqualTo("db.t4g.micro");
        assertThat(line.path("publiclyAccessible").asBoolean()).isFalse();
        assertThat(rds.describeDBInstances().dbInstances())
                .extracting(DBInstance::dbInstanceIdentifier)
                .containsExactly(DB);
        assertThat(snapshotTags("kfood-ops-dev-kfood-db-20261205-1200")).doesNotContainKey("kfood-ops:drill-in-use");
        assertThat(s3.listObjectsV2(b -> b.bucket(DemoPlatform.STATE_BUCKET).prefix("drills/"))
                        .contents())
                .isEmpty();
        assertThat(moto.drain(DemoPlatform.NOTIFICATIONS_TOPIC)).isEmpty();
    }

    private static List<Tag> tags(String managedBy, Instant expires) {
        List<Tag> tags = new ArrayList<>();
        tags.add(Tag.builder().key("ManagedBy").value(managedBy).build());
        tags.add(Tag.builder().key("kfood-ops:drill").value("20261101-1700").build());
        tags.add(Tag.builder().key("kfood-ops:drill-db").value(DB).build());
        tags.add(Tag.builder()
                .key("kfood-ops:drill-source")
                .value("kfood-ops-dev-kfood-db-20261205-1200")
                .build());
        tags.add(
                Tag.builder().key("kfood-ops:expires").value(expires.toString()).build());
        return tags;
    }
}
