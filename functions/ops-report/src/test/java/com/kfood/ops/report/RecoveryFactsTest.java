package com.kfood.ops.report;

import static com.kfood.ops.report.Fakes.item;
import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.testsupport.TestOps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Backups and DR's recovery lines from the functions' records: per drill mode, automated backups, uploads. */
class RecoveryFactsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final String STATE = "kfood-ops-state";

    private final Map<String, String> documents = new TreeMap<>();
    private DBInstance db = DBInstance.builder()
            .dbInstanceIdentifier("kfood-db")
            .backupRetentionPeriod(30)
            .latestRestorableTime(NOW.minus(Duration.ofMinutes(3)))
            .build();

    private final ReportReads reads = new StubReads() {
        @Override
        public List<S3Object> objects(String bucket, String prefix) {
            return documents.keySet().stream()
                    .filter(k -> k.startsWith(bucket + "/" + prefix))
                    .map(k -> S3Object.builder()
                            .key(k.substring(bucket.length() + 1))
                            .lastModified(NOW.minus(Duration.ofDays(6)))
                            .build())
                    .toList();
        }

        @Override
        public String text(String bucket, String key) {
            return documents.get(bucket + "/" + key);
        }

        @Override
        public DBInstance database(String name) {
            return db;
        }
    };

    private Section section(String... vars) {
        List<String> all = new java.util.ArrayList<>(List.of(
                "DB_INSTANCE_IDS",
                "kfood-db",
                "STACK_NAME",
                "kfood-ops",
                "BACKUP_SOURCE_BUCKET",
                "kfood-uploads",
                "BACKUP_BUCKET",
                "kfood-backups"));
        all.addAll(List.of(vars));
        BackupConfig config = BackupConfig.from(TestOps.env(all.toArray(String[]::new)));
        Section.Builder section = new Section.Builder("backups", "Backups and DR");
        new RecoveryFacts(config, reads, Optional.of(STATE), NOW).add(section);
        return section.build();
    }

    @Test
    void eachModeHasItsLastResultAndRecoveryPointAndTheNeverRunAreWatched() {
        documents.put(
                STATE + "/drills/runs/20261206-1700/report.json",
                "{\"outcome\":\"PASS\",\"databases\":[{\"restoreMinutes\":14.0,\"dataLagMinutes\":-2}]}");
        documents.put(STATE + "/drills/last-pass.json", "{\"passedAt\":\"2026-12-06T17:30:00Z\"}");
        documents.put(
                STATE + "/drills/runs/20261206-1700-pitr/report.json",
                "{\"outcome\":\"PASS\",\"databases\":[{\"restoreMinutes\":21.0,\"recoveryLagSeconds\":3}]}");
        documents.put(STATE + "/drills/last-pass-pointInTime.json", "{\"passedAt\":\"2026-12-06T17:40:00Z\"}");

        Section s = section("DR_REGION", "ap-northeast-1");

        assertThat(item(s, "restore drill snapshot").value())
                .isEqualTo("PASS 6 days ago, RTO 14.0 min, data lag -2.0 min; last PASS 2026-12-06T17:30:00Z");
        assertThat(item(s, "restore drill pointInTime").value())
                .isEqualTo("PASS 6 days ago, RTO 21.0 min, PITR lag 3 s; last PASS 2026-12-06T17:40:00Z");
        assertThat(item(s, "restore drill drRegion").verdict()).isEqualTo(Verdict.WATCH);
        assertThat(item(s, "automated backups kfood-db").verdict()).isEqualTo(Verdict.OK);
        assertThat(item(s, "uploads verification").value()).startsWith("never run");
    }

    @Test
    void aFailedModeRetentionCutAndAFailedVerificationAreActedOn() {
        documents.put(
                STATE + "/drills/runs/20261206-1700-pitr/report.json",
                "{\"outcome\":\"FAIL\",\"databases\":[{\"recoveryLagSeconds\":-60}]}");
        documents.put(
                "kfood-backups/uploads/verifications/latest.json",
                "{\"status\":\"FAIL\",\"day\":\"20261206\",\"entries\":6,\"verified\":5,\"missing\":1,\"changed\":0}");
        db = db.toBuilder().backupRetentionPeriod(7).build();

        Section s = section();

        assertThat(item(s, "restore drill pointInTime").verdict()).isEqualTo(Verdict.ACT);
        assertThat(item(s, "restore drill pointInTime").value()).contains("last PASS never");
        assertThat(s.items()).noneMatch(i -> i.label().equals("restore drill drRegion")); // no DR region
        assertThat(item(s, "automated backups kfood-db").verdict()).isEqualTo(Verdict.WATCH);
        assertThat(item(s, "uploads verification").value())
                .isEqualTo("FAIL for 20261206: 5 of 6 versions as named, 1 missing, 0 changed");
        assertThat(s.actions())
                .anyMatch(a -> a.contains("pointInTime restore drill FAILED"))
                .anyMatch(a -> a.contains("./ops verify-uploads --day 20261206"));
    }
}
