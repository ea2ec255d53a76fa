package com.kfood.ops.snapshot;

import static com.kfood.ops.emulator.DemoPlatform.BACKUP_BUCKET;
import static com.kfood.ops.emulator.DemoPlatform.DB;
import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static com.kfood.ops.emulator.DemoPlatform.UPLOADS_BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.testsupport.FaultProxy;
import com.kfood.ops.testsupport.FaultProxy.Fault;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The backup run through the fault proxy: bursts of throttling on every service, 5xx, and a
 * CreateDBSnapshot whose answer is lost after RDS made the snapshot. Invariants: one snapshot per
 * schedule, copies counted as they are, the result and the notification agree with what exists.
 */
@ExtendWith(MotoExtension.class)
class SnapshotFaultsIT {
    private Moto moto;

    @BeforeEach
    void seed(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
    }

    /** The backup run with the uploads copy, through the proxy, with this many attempts per call. */
    private SnapshotHandler handler(FaultProxy proxy, String attempts) {
        return new SnapshotHandler(moto.env(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "BACKUP_SOURCE_BUCKET",
                UPLOADS_BUCKET,
                "BACKUP_BUCKET",
                BACKUP_BUCKET,
                "AWS_ENDPOINT_URL",
                proxy.endpoint().toString(),
                "AWS_MAX_ATTEMPTS",
                attempts)));
    }

    @Test
    void faultsOnEveryCallLeaveExactlyOneSnapshotAndAnHonestReport() throws Exception {
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> call.operation().equals("CreateDBSnapshot") && call.sequence() < 40
                    ? Fault.RESET_AFTER
                    : switch (call.sequence() % 5) {
                        case 1 -> Fault.THROTTLE;
                        case 3 -> Fault.SERVER_ERROR;
                        default -> Fault.NONE;
                    });
            SnapshotHandler handler = handler(proxy, "5");
            JsonNode first = Invocations.invoke(handler, Invocations.event("events/snapshot/scheduler.json"));
            JsonNode again = Invocations.invoke(handler, Invocations.event("events/snapshot/scheduler.json"));
            System.out.printf(
                    "reliability: snapshot under faults %s -> %s then %s%n",
                    proxy.injected(),
                    first.at("/snapshots/0/status").asText(),
                    again.at("/snapshots/0/status").asText());

            RdsClient rds = moto.aws().build(RdsClient.builder(), "RDS");
            assertThat(rds.describeDBSnapshots(b -> b.snapshotType("manual")).dbSnapshots())
                    .hasSize(1);
            // every CreateDBSnapshot answer was lost, yet RDS made it: confirmed, not reported as failed
            assertThat(first.at("/snapshots/0/status").asText()).isEqualTo("CREATED");
            assertThat(first.at("/snapshots/0/reason").asText()).contains("confirmed after a lost answer");
            assertThat(again.at("/snapshots/0/status").asText()).isEqualTo("ALREADY_EXISTS");
            S3Client s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
            int copied = s3.listObjectsV2(b -> b.bucket(BACKUP_BUCKET).prefix("uploads/current/"))
                    .contents()
                    .size();
            assertThat(first.at("/uploads/copied").asInt()
                            + first.at("/uploads/failed").asInt())
                    .isEqualTo(5);
            assertThat(copied)
                    .isGreaterThanOrEqualTo(first.at("/uploads/copied").asInt());
            assertThat(again.at("/uploads/alreadyCopied").asInt()
                            + again.at("/uploads/copied").asInt())
                    .isEqualTo(5);
            assertThat(proxy.injected()).containsKeys(Fault.THROTTLE, Fault.SERVER_ERROR, Fault.RESET_AFTER);
        }
    }

    @Test
    void whenRdsFailsAfterTheDatabaseCheckTheUploadsCopyAlongsideStillCompletes() throws Exception {
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> call.service().equals("rds") && !call.operation().equals("DescribeDBInstances")
                    ? Fault.SERVER_ERROR
                    : Fault.NONE);
            SnapshotHandler handler = handler(proxy, "2");

            JsonNode result = Invocations.invoke(handler, Invocations.event("events/snapshot/scheduler.json"));

            assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("FAILED");
            assertThat(result.at("/uploads/status").asText()).isEqualTo("COMPLETE");
            S3Client s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
            assertThat(s3.listObjectsV2(b -> b.bucket(BACKUP_BUCKET).prefix("uploads/current/"))
                            .contents())
                    .hasSize(5);
            assertThat(proxy.injected()).containsKey(Fault.SERVER_ERROR);
        }
    }

    @Test
    void aQuotaThatCannotBeReadIsReportedAsUnknownAndTheSnapshotIsStillTaken() throws Exception {
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> call.operation().equals("DescribeAccountAttributes") ? Fault.THROTTLE : Fault.NONE);
            SnapshotHandler handler = handler(proxy, "2");
            JsonNode result = Invocations.invoke(handler, Invocations.event("events/snapshot/manual.json"));
            assertThat(result.at("/quota/status").asText()).isEqualTo("UNKNOWN");
            assertThat(result.at("/quota/message").asText())
                    .startsWith("quota unknown: ")
                    .contains("Throttling");
            assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("CREATED");
        }
    }

    @Test
    void aCopyThatFailsLeavesTheDayWithAManifestOfTheRestAndNamesIt() throws Exception {
        S3Client s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call ->
                    call.operation().startsWith("PUT ") && call.operation().contains("bibimbap-3")
                            ? Fault.SERVER_ERROR
                            : Fault.NONE);
            JsonNode result =
                    Invocations.invoke(handler(proxy, "1"), Invocations.event("events/snapshot/scheduler.json"));
            assertThat(result.at("/uploads/status").asText()).isEqualTo("FAILED");
            assertThat(result.at("/uploads/failures/0").asText()).contains("bibimbap-3");
            assertThat(result.at("/uploads/manifest").asText()).isEqualTo("uploads/manifests/20261125.jsonl.gz");
        }
        byte[] manifest = s3.getObjectAsBytes(b -> b.bucket(BACKUP_BUCKET).key("uploads/manifests/20261125.jsonl.gz"))
                .asByteArray();
        assertThat(Manifest.read(manifest))
                .extracting(Manifest.Entry::key)
                .hasSize(4)
                .noneMatch(k -> k.contains("bibimbap-3"));
    }
}
