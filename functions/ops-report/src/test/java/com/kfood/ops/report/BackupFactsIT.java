package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.prune.PruneHandler;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.SnapshotTags;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/** One owner for each backup fact: the report says what the prune does, on the same snapshots. */
@ExtendWith(MotoExtension.class)
class BackupFactsIT {
    private static final String DB = DemoPlatform.DB;

    @Test
    void theReportsDueForThePruneIsThePrunesDryRunCount(Moto moto) {
        moto.seedPlatform();
        RdsClient rds = moto.aws().build(RdsClient.builder(), "RDS");
        Instant now = Instant.now();
        // expired by the configured 30 days; two expired by their own tag (7 days) though younger than 30;
        // expired but in use by a drill; young; and the floor's newest two
        snapshot(moto, rds, now, 45, "01", "30");
        snapshot(moto, rds, now, 10, "02", "7");
        snapshot(moto, rds, now, 12, "07", "7");
        String inUse = snapshot(moto, rds, now, 40, "03", "30");
        rds.addTagsToResource(b -> b.resourceName("arn:aws:rds:ap-northeast-2:123456789012:snapshot:" + inUse)
                .tags(tag(
                        SnapshotTags.DRILL_IN_USE, now.plus(Duration.ofHours(6)).toString())));
        snapshot(moto, rds, now, 5, "04", "30");
        snapshot(moto, rds, now, 1, "05", "30");
        snapshot(moto, rds, now, 0, "06", "30");
        Env env = env(moto);

        JsonNode dry = Invocations.invoke(new PruneHandler(env), Invocations.event("events/prune/manual-dry-run.json"));
        int prunes = dry.path("wouldDelete").size();

        ReportReads reads = new AwsReportReads(
                null,
                null,
                null,
                rds,
                Optional.empty(),
                null,
                null,
                moto.aws().build(S3Client.builder().forcePathStyle(true), "S3"),
                Optional.empty(),
                Optional.empty());
        Section section = new BackupsSource(BackupConfig.from(env), reads, Optional.empty(), "KfoodOps", now)
                .build(new Metrics(null, ReportPeriod.of(ReportKind.WEEKLY, now, java.time.ZoneOffset.UTC)));
        Item snapshots = section.items().stream()
                .filter(i -> i.label().equals("snapshots " + DB))
                .findFirst()
                .orElseThrow();

        assertThat(prunes).isEqualTo(3);
        assertThat(snapshots.amount("dueForPrune")).isEqualTo((double) prunes);
        assertThat(snapshots.value()).contains(prunes + " due for the prune");
    }

    private static Env env(Moto moto) {
        Map<String, String> vars = new HashMap<>(Map.of(
                "DB_INSTANCE_IDS",
                DB,
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(DemoPlatform.NOTIFICATIONS_TOPIC),
                "MIN_SNAPSHOTS_KEPT",
                "2",
                "WEEKLY_RETENTION_WEEKS",
                "0",
                "MONTHLY_RETENTION_MONTHS",
                "0"));
        return moto.env(vars);
    }

    private static String snapshot(Moto moto, RdsClient rds, Instant now, int daysAgo, String minute, String days) {
        Instant at = now.minus(Duration.ofDays(daysAgo));
        String id = SnapshotTags.snapshotId("kfood-ops", DB, at).replaceAll("\\d{2}$", minute);
        moto.rdsClockAt(at);
        rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB)
                .dbSnapshotIdentifier(id)
                .tags(tag("ManagedBy", "kfood-ops"), tag(SnapshotTags.RETENTION_DAYS, days)));
        moto.rdsClockAt(now);
        return id;
    }

    private static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }
}
