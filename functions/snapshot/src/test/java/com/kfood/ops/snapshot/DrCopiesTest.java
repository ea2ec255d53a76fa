package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.testsupport.FakeRds;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.TestOps;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;

/** The copies' limits on in-memory regions: RDS's copies take a while there, as on AWS. */
class DrCopiesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T19:00:00Z"));
    private final FakeRds source = new FakeRds(clock).instance("kfood-db", "available");
    private final FakeRds dr = new FakeRds(clock);
    private final BackupConfig config = BackupConfig.from(
            TestOps.env("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops", "DR_REGION", "ap-northeast-1"));
    private final DrCopies copies = new DrCopies(
            source,
            dr,
            config,
            "ap-northeast-2",
            new OpsLog("SnapshotFunction", clock, new PrintStream(OutputStream.nullOutputStream())));

    private void ours(int daysAgo) {
        Instant at = clock.instant().minus(Duration.ofDays(daysAgo)).minus(Duration.ofHours(1));
        source.snapshot(
                String.format("kfood-ops-kfood-db-202611%02d-1800", 25 - daysAgo),
                "kfood-db",
                "manual",
                "available",
                at,
                Tag.builder().key("ManagedBy").value("kfood-ops").build());
    }

    /** A catch-up pass as the backup run makes it, with the DR region's copies just listed. */
    private List<DrCopies.Copy> pass(DrCopies c, boolean dryRun) {
        return c.catchUp(c.copiesInDr(), dryRun, clock.instant());
    }

    @Test
    void theAutomatedBackupsAreReplicatedOnceWhenAskedForAndNeverOtherwise() {
        var databases = source.databases(List.of("kfood-db"));
        assertThat(copies.replicateAutomatedBackups(databases, false))
                .as("not asked for")
                .isEmpty();
        assertThat(dr.calls("DescribeDBInstanceAutomatedBackups")).isZero();

        BackupConfig asked = BackupConfig.from(TestOps.env(
                "DB_INSTANCE_IDS",
                "kfood-db",
                "STACK_NAME",
                "kfood-ops",
                "DR_REGION",
                "ap-northeast-1",
                "REPLICATE_AUTOMATED_BACKUPS",
                "true"));
        DrCopies replicating = new DrCopies(
                source,
                dr,
                asked,
                "ap-northeast-2",
                new OpsLog("SnapshotFunction", clock, new PrintStream(OutputStream.nullOutputStream())));

        assertThat(replicating.replicateAutomatedBackups(databases, true))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.WOULD_COPY));
        assertThat(dr.replicated).as("a dry run starts nothing").isEmpty();

        assertThat(replicating.replicateAutomatedBackups(databases, false))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.snapshot()).isEqualTo("automated backups of kfood-db");
                    assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.COPIED);
                    assertThat(c.detail()).isEqualTo("replication to ap-northeast-1 started, 30 days kept");
                });
        // the next run finds it replicating and starts nothing more
        assertThat(replicating.replicateAutomatedBackups(databases, false))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.ALREADY_COPIED));
        assertThat(dr.calls("StartDBInstanceAutomatedBackupsReplication")).isEqualTo(1);
        assertThat(dr.replicated).containsOnlyKeys("arn:aws:rds:ap-northeast-2:123456789012:db:kfood-db");

        source.automatedBackups("kfood-db", 0, null);
        dr.replicated.clear();
        assertThat(replicating.replicateAutomatedBackups(source.databases(List.of("kfood-db")), false))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.FAILED));
    }

    @Test
    void aCopyMadeSinceTheDrRegionWasListedIsMetAsAlreadyCopied() {
        ours(0);
        var listedWhileTheSnapshotsWereTaken = copies.copiesInDr();
        copies.copy("kfood-ops-kfood-db-20261125-1800", false, clock.instant()); // meanwhile, by its own event
        assertThat(copies.catchUp(listedWhileTheSnapshotsWereTaken, false, clock.instant()))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.ALREADY_COPIED));
        assertThat(dr.calls("CopyDBSnapshot")).isEqualTo(2);
        assertThat(dr.snapshots).hasSize(1);
    }

    @Test
    void aCopyCarriesTheSnapshotsOwnTagsNeverADrillMarkOrADatabaseTag() {
        // the copy's role allows exactly the snapshot's four keys (aws:TagKeys): one more and AWS refuses
        source.snapshot(
                "kfood-ops-kfood-db-20261125-1800",
                "kfood-db",
                "manual",
                "available",
                clock.instant().minus(Duration.ofHours(1)),
                Tag.builder().key("ManagedBy").value("kfood-ops").build(),
                Tag.builder()
                        .key("kfood-ops:ScheduledFor")
                        .value("2026-11-25T18:00:00Z")
                        .build(),
                Tag.builder()
                        .key("kfood-ops:drill-in-use")
                        .value("kfood-ops-drill-x")
                        .build(),
                Tag.builder().key("Team").value("platform").build());

        pass(copies, false);

        assertThat(dr.snapshots.get("kfood-ops-kfood-db-20261125-1800").tagList())
                .extracting(Tag::key)
                .containsExactlyInAnyOrder("ManagedBy", "kfood-ops:ScheduledFor");
    }

    @Test
    void oneCopyAtATimePerInstanceTheRestWaitForTheNextPass() {
        ours(0);
        ours(1);
        ours(2);
        List<DrCopies.Copy> pass = pass(copies, false);
        assertThat(pass)
                .extracting(DrCopies.Copy::status)
                .containsExactly(
                        DrCopies.Copy.Status.COPIED, DrCopies.Copy.Status.WAITING, DrCopies.Copy.Status.WAITING);
        assertThat(pass.get(0).snapshot()).isEqualTo("kfood-ops-kfood-db-20261125-1800"); // the newest first
        assertThat(pass.get(1).detail()).contains("a copy of kfood-db is in flight");
        assertThat(dr.calls("CopyDBSnapshot")).isEqualTo(1);

        dr.snapshots.replaceAll((id, s) -> s.toBuilder().status("available").build()); // RDS finished it
        List<DrCopies.Copy> next = pass(copies, false);
        assertThat(next)
                .extracting(DrCopies.Copy::status)
                .containsExactly(
                        DrCopies.Copy.Status.ALREADY_COPIED, DrCopies.Copy.Status.COPIED, DrCopies.Copy.Status.WAITING);
    }

    @Test
    void twentyCopiesInFlightToTheRegionIsTheLimit() {
        for (int i = 0; i < DrCopies.MAX_IN_FLIGHT; i++) {
            dr.snapshot("other-copy-" + i, "kfood-other-" + i, "manual", "pending", clock.instant());
        }
        dr.copiesOfDb = "kfood-db";
        ours(0);
        BackupConfig wide = BackupConfig.from(TestOps.env(
                "DB_INSTANCE_IDS",
                "kfood-db,kfood-other-0,kfood-other-1,kfood-other-2,kfood-other-3,kfood-other-4,kfood-other-5,"
                        + "kfood-other-6,kfood-other-7,kfood-other-8,kfood-other-9,kfood-other-10,kfood-other-11,"
                        + "kfood-other-12,kfood-other-13,kfood-other-14,kfood-other-15,kfood-other-16,"
                        + "kfood-other-17,kfood-other-18,kfood-other-19",
                "STACK_NAME",
                "kfood-ops",
                "DR_REGION",
                "ap-northeast-1"));
        DrCopies many = new DrCopies(
                source,
                dr,
                wide,
                "ap-northeast-2",
                new OpsLog("SnapshotFunction", clock, new PrintStream(OutputStream.nullOutputStream())));
        List<DrCopies.Copy> pass = pass(many, false);
        assertThat(pass).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.WAITING);
            assertThat(c.detail()).isEqualTo("20 copies to ap-northeast-1 in flight");
        });
        assertThat(dr.calls("CopyDBSnapshot")).isZero();
    }

    private static RdsException refusal(String code, int status) {
        return (RdsException) RdsException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(code)
                        .build())
                .build();
    }

    @Test
    void aQuotaRefusalWaitsForTheNextPassAndADenialIsAFailure() {
        ours(0);
        dr.copyFailure = refusal("SnapshotQuotaExceeded", 400);
        assertThat(pass(copies, false))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.WAITING));
        dr.copyFailure = refusal("AccessDenied", 403);
        assertThat(pass(copies, false)).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.FAILED);
            assertThat(c.detail()).contains("AccessDenied");
        });
    }

    @Test
    void aDryRunSaysWhatItWouldCopyAndCopiesNothing() {
        ours(0);
        assertThat(pass(copies, true))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(DrCopies.Copy.Status.WOULD_COPY));
        assertThat(dr.calls("CopyDBSnapshot")).isZero();
    }
}
