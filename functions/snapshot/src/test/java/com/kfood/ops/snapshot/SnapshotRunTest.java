package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.testsupport.FakeRds;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.Tag;

/** SnapshotFunction's logic on an in-memory RDS: no emulator, no network. */
class SnapshotRunTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T09:00:00Z"));
    private final FakeRds rds = new FakeRds(clock)
            .instance(
                    "kfood-db",
                    "available",
                    Tag.builder().key("Team").value("platform").build(),
                    Tag.builder().key("CostCenter").value("cc-42").build());
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final Env env = TestOps.env("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops");
    private final OpsLog log = new OpsLog("SnapshotFunction", clock, new PrintStream(OutputStream.nullOutputStream()));

    private OpsHandler handler() {
        return handler(rds, env, notifier, metrics, log, clock);
    }

    /** The function on a fake RDS, without the uploads backup (UploadsBackupIT covers it on moto). */
    static OpsHandler handler(
            FakeRds rds, Env env, RecordingNotifier notifier, RecordingMetrics metrics, OpsLog log, Clock clock) {
        BackupConfig config = BackupConfig.from(env);
        SnapshotRun run = new SnapshotRun(
                config,
                SnapshotRun.Parts.snapshotsOnly(new SnapshotPlan(rds, config, "SnapshotFunction", log)),
                notifier,
                metrics,
                log,
                clock);
        return OpsHandler.of(TestOps.of("SnapshotFunction", env, clock, log, metrics), run);
    }

    @ParameterizedTest
    @Event(value = "events/snapshot/scheduler.json", type = Map.class)
    void createsTheSnapshotWithOnlyTheTagKeysItsRoleAllows(Map<String, Object> event) {
        // the database is tagged Team and CostCenter: AWS would refuse a snapshot carrying either,
        // since the role's aws:TagKeys condition lists only the stack's keys (issue 30)
        JsonNode result = Invocations.invoke(handler(), Invocations.json(event));

        assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("CREATED");
        var tags = rds.snapshots.get("kfood-ops-kfood-db-20261125-1800").tagList();
        assertThat(tags)
                .extracting(Tag::key)
                .containsExactly(
                        "ManagedBy", "kfood-ops:CreatedBy", "kfood-ops:RetentionDays", "kfood-ops:ScheduledFor");
        assertThat(metrics.sum("SnapshotsCreated")).isEqualTo(1);
        assertThat(metrics.flushes).isEqualTo(1);
        assertThat(notifier.sent).singleElement().extracting(n -> n.severity()).isEqualTo(Severity.SUCCESS);
    }

    @ParameterizedTest
    @Event(value = "events/snapshot/scheduler.json", type = Map.class)
    void copiesTheDatabasesTagsOnlyWhereNamed(Map<String, Object> event) {
        Env named = TestOps.env(
                "DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops", "SNAPSHOT_COPIED_TAG_KEYS", "Team");

        Invocations.invoke(handler(rds, named, notifier, metrics, log, clock), Invocations.json(event));

        assertThat(rds.snapshots.get("kfood-ops-kfood-db-20261125-1800").tagList())
                .extracting(Tag::key)
                .containsExactly(
                        "ManagedBy",
                        "kfood-ops:CreatedBy",
                        "kfood-ops:RetentionDays",
                        "kfood-ops:ScheduledFor",
                        "Team");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ManagedBy", "kfood-ops:drill-in-use", "aws:cloudformation:stack-name", "Team,has space"})
    void aCopiedTagKeyOfOursOrAwssIsRefusedAtInit(String keys) {
        Env bad =
                TestOps.env("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops", "SNAPSHOT_COPIED_TAG_KEYS", keys);

        assertThatThrownBy(() -> BackupConfig.from(bad)).hasMessageContaining("SNAPSHOT_COPIED_TAG_KEYS");
    }

    @Test
    void quotaAt80PercentWarnsAndSaysWhatToDo() {
        rds.manualSnapshotQuota = AccountQuota.builder()
                .accountQuotaName("ManualSnapshots")
                .used(79L)
                .max(100L)
                .build();

        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));

        assertThat(result.at("/quota/status").asText()).isEqualTo("WARNING");
        assertThat(result.at("/quota/message").asText()).contains("79 of 100").contains("80%");
        assertThat(notifier.sent.get(0).severity()).isEqualTo(Severity.WARNING);
        assertThat(notifier.sent.get(0).nextSteps()).anyMatch(s -> s.contains("quota"));
    }

    @Test
    void quotaBelowTheMarkIsQuiet() {
        rds.manualSnapshotQuota = AccountQuota.builder()
                .accountQuotaName("ManualSnapshots")
                .used(10L)
                .max(100L)
                .build();
        assertThat(Invocations.invoke(handler(), Invocations.json("{}"))
                        .at("/quota/status")
                        .asText())
                .isEqualTo("OK");
    }

    @Test
    void aDatabaseInModificationIsSkippedWithItsState() {
        rds.instance("kfood-db", "modifying");
        JsonNode result = Invocations.invoke(handler(), Invocations.json("{}"));
        assertThat(result.at("/snapshots/0/status").asText()).isEqualTo("SKIPPED");
        assertThat(result.at("/snapshots/0/reason").asText()).startsWith("database is modifying");
        assertThat(rds.calls("CreateDBSnapshot")).isZero();
        assertThat(metrics.sum("SnapshotsSkipped")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"source\":\"aws.ec2\",\"detail-type\":\"Scheduled Event\",\"time\":\"2026-11-25T18:00:00Z\"}",
                "{\"dryRun\":1}",
                "{\"Records\":[]}",
                "[]",
                "\"{}\"",
                "{\"source\":\"aws.scheduler\",\"detail-type\":\"Scheduled Event\",\"time\":null}",
                "{\"source\":\"aws.scheduler\",\"detail-type\":\"Scheduled Event\",\"time\":\"2026-13-45T99:00:00Z\"}",
                "{\"source\":\"aws.scheduler\",\"detail-type\":\"Scheduled",
            })
    void aBadEventIsRejectedBeforeAnyAwsCall(String event) {
        assertThatThrownBy(() -> Invocations.invoke(handler(), Invocations.json(event)))
                .isInstanceOf(InvalidEventException.class);
        assertThat(rds.calls).isEmpty();
        assertThat(notifier.sent).isEmpty();
    }

    @Test
    void quotaCheckWarnsFromEightyPercentAfterThisRun() {
        assertThat(QuotaCheck.of(78, 100, 1).status()).isEqualTo(QuotaCheck.Status.OK);
        assertThat(QuotaCheck.of(79, 100, 1).status()).isEqualTo(QuotaCheck.Status.WARNING);
        assertThat(QuotaCheck.of(0, 0, 1).status()).isEqualTo(QuotaCheck.Status.WARNING);
    }
}
