package com.kfood.ops.snapshot;

import static com.kfood.ops.emulator.DemoPlatform.BACKUP_BUCKET;
import static com.kfood.ops.emulator.DemoPlatform.DB;
import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static com.kfood.ops.emulator.DemoPlatform.UPLOADS_BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/** SnapshotFunction over real HTTP against moto, the demo platform seeded. */
@ExtendWith(MotoExtension.class)
class SnapshotFunctionIT {
    private static final String SCHEDULED_ID = "kfood-ops-kfood-db-20261125-1800";

    private Moto moto;
    private RdsClient rds;
    private S3Client s3;

    @BeforeEach
    void seed(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
        rds = moto.aws().build(RdsClient.builder(), "RDS");
        s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
    }

    private Env env(String... overrides) {
        Map<String, String> vars = new HashMap<>(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "BACKUP_SOURCE_BUCKET",
                UPLOADS_BUCKET,
                "BACKUP_BUCKET",
                BACKUP_BUCKET));
        for (int i = 0; i < overrides.length; i += 2) {
            vars.put(overrides[i], overrides[i + 1]);
        }
        return moto.env(vars);
    }

    private List<DBSnapshot> manualSnapshots() {
        return rds.describeDBSnapshots(b -> b.snapshotType("manual")).dbSnapshots();
    }

    private static Map<String, String> tags(DBSnapshot s) {
        return s.tagList().stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }

    @Test
    void scheduledEventTakesOneTaggedSnapshotCopiesUploadsAndNotifies() {
        JsonNode result =
                Invocations.invoke(new SnapshotHandler(env()), Invocations.event("events/snapshot/scheduler.json"));

        assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("CREATED");
        assertThat(result.at("/snapshots/0/snapshotId").asText()).isEqualTo(SCHEDULED_ID);
        List<DBSnapshot> snapshots = manualSnapshots();
        assertThat(snapshots).extracting(DBSnapshot::dbSnapshotIdentifier).containsExactly(SCHEDULED_ID);
        assertThat(tags(snapshots.get(0)))
                .containsEntry("ManagedBy", "kfood-ops")
                .containsEntry("kfood-ops:CreatedBy", "SnapshotFunction")
                .containsEntry("kfood-ops:RetentionDays", "30")
                .containsEntry("kfood-ops:ScheduledFor", "2026-11-25T18:00:00Z")
                // the database's own Project tag stays on the database: copying it is opt-in
                // (SNAPSHOT_COPIED_TAG_KEYS), as the role's aws:TagKeys condition lists only ours
                .hasSize(4);
        assertThat(rds.describeDBInstances(b -> b.dbInstanceIdentifier(DB))
                        .dbInstances()
                        .get(0)
                        .tagList())
                .extracting(Tag::key)
                .contains("Project");

        assertThat(result.at("/uploads/status").asText()).isEqualTo("COMPLETE");
        assertThat(result.at("/uploads/copied").asInt()).isEqualTo(5);
        assertThat(s3.listObjectsV2(b -> b.bucket(BACKUP_BUCKET).prefix("uploads/current/"))
                        .contents())
                .extracting(o -> o.key())
                .contains("uploads/current/uploads/videos/bibimbap-1.mp4")
                .hasSize(5);

        List<Inbox.Published> inbox = moto.drain(NOTIFICATIONS_TOPIC);
        assertThat(inbox).hasSize(1);
        assertThat(inbox.get(0).subject()).startsWith("[OK] kfood-ops: Backup for 2026-11-25T18:00:00Z: 1 created");
        assertThat(inbox.get(0).description()).contains(SCHEDULED_ID).contains("5 new or changed copied");
        assertThat(result.path("notified").asBoolean()).isTrue();
    }

    @Test
    void redeliveredEventReportsItsSnapshotInsteadOfMakingASecond() {
        SnapshotHandler handler = new SnapshotHandler(env());
        Invocations.invoke(handler, Invocations.event("events/snapshot/scheduler.json"));
        JsonNode again = Invocations.invoke(handler, Invocations.event("events/snapshot/scheduler.json"));

        assertThat(again.at("/snapshots/0/status").asText()).isEqualTo("ALREADY_EXISTS");
        assertThat(again.at("/uploads/copied").asInt()).isZero();
        assertThat(again.at("/uploads/alreadyCopied").asInt()).isEqualTo(5);
        assertThat(manualSnapshots()).hasSize(1);
    }

    @Test
    void aSnapshotOfThatNameNotCreatedByThisStackIsAnError() {
        rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB)
                .dbSnapshotIdentifier(SCHEDULED_ID)
                .tags(t -> t.key("ManagedBy").value("someone-else")));

        JsonNode result =
                Invocations.invoke(new SnapshotHandler(env()), Invocations.event("events/snapshot/scheduler.json"));

        assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("FAILED");
        assertThat(result.at("/snapshots/0/reason").asText())
                .contains("not created by stack kfood-ops")
                .contains("ManagedBy=someone-else");
        assertThat(tags(manualSnapshots().get(0))).containsEntry("ManagedBy", "someone-else");
        assertThat(moto.drain(NOTIFICATIONS_TOPIC).get(0).subject()).startsWith("[ALERT]");
    }

    @Test
    void aDatabaseThatIsNotAvailableIsSkippedAndTheOthersStillRun() {
        rds.createDBInstance(b -> b.dbInstanceIdentifier("kfood-analytics")
                .engine("postgres")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("a")
                .masterUserPassword("demo-only-password"));
        rds.stopDBInstance(b -> b.dbInstanceIdentifier("kfood-analytics"));

        JsonNode result = Invocations.invoke(
                new SnapshotHandler(env("DB_INSTANCE_IDS", "kfood-analytics," + DB)),
                Invocations.event("events/snapshot/scheduler.json"));

        Map<String, String> status = new HashMap<>();
        result.path("snapshots")
                .forEach(s -> status.put(s.path("db").asText(), s.path("status").asText()));
        assertThat(status).containsEntry(DB, "CREATED").containsEntry("kfood-analytics", "SKIPPED");
        assertThat(result.toString()).contains("database is stopped, not available");
        assertThat(manualSnapshots())
                .extracting(DBSnapshot::dbInstanceIdentifier)
                .containsExactly(DB);
    }

    @Test
    void anUnknownDatabaseFailsBeforeAnythingIsChanged() {
        SnapshotHandler handler = new SnapshotHandler(env("DB_INSTANCE_IDS", DB + ",kfood-ghost"));
        assertThatThrownBy(() -> Invocations.invoke(handler, Invocations.event("events/snapshot/scheduler.json")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kfood-ghost");

        assertThat(manualSnapshots()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(BACKUP_BUCKET)).contents()).isEmpty();
    }

    @Test
    void dryRunReportsAndChangesNothing() {
        JsonNode result = Invocations.invoke(
                new SnapshotHandler(env()), Invocations.event("events/snapshot/manual-dry-run.json"));

        assertThat(result.path("dryRun").asBoolean()).isTrue();
        assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("WOULD_CREATE");
        assertThat(result.at("/uploads/status").asText()).isEqualTo("WOULD_COPY");
        assertThat(result.at("/uploads/copied").asInt()).isEqualTo(5);
        assertThat(manualSnapshots()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(BACKUP_BUCKET)).contents()).isEmpty();
        assertThat(moto.drain(NOTIFICATIONS_TOPIC).get(0).subject()).contains("Dry run");
    }

    @Test
    void dryRunFromTheEnvironmentAppliesToScheduledEvents() {
        JsonNode result = Invocations.invoke(
                new SnapshotHandler(env("DRY_RUN", "true")), Invocations.event("events/snapshot/scheduler.json"));
        assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("WOULD_CREATE");
        assertThat(manualSnapshots()).isEmpty();
    }

    @Test
    void theQuotaIsReadAndCountsTheRegionsManualSnapshots() {
        // the emulator wrapper answers DescribeAccountAttributes from the snapshots it holds
        rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB).dbSnapshotIdentifier("before-pg16-upgrade"));
        JsonNode result =
                Invocations.invoke(new SnapshotHandler(env()), Invocations.event("events/snapshot/manual.json"));
        assertThat(result.at("/quota/status").asText()).isEqualTo("OK");
        assertThat(result.at("/quota/used").asLong()).isEqualTo(1);
        assertThat(result.at("/quota/max").asLong()).isEqualTo(5000);
        assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("CREATED");
    }
}
