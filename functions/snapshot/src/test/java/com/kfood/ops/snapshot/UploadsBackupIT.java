package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;

/** The uploads copy against moto's S3: resume after the deadline, and a 10,000-object source. */
@ExtendWith(MotoExtension.class)
class UploadsBackupIT {
    private static final Instant DAY = Instant.parse("2026-11-25T18:00:00Z");
    private static final OpsLog QUIET =
            new OpsLog("test", Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()));

    private S3Client s3;

    @BeforeEach
    void buckets(Moto moto) {
        s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        for (String b : new String[] {"src", "dst"}) {
            s3.createBucket(r -> r.bucket(b)
                    .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.AP_NORTHEAST_2)));
        }
    }

    private void put(int count) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < count; i++) {
            String key = String.format("media/%05d.jpg", i);
            pool.submit(() -> s3.putObject(b -> b.bucket("src").key(key), RequestBody.fromString("image " + key)));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
    }

    private long copiedCount() {
        return s3.listObjectsV2Paginator(b -> b.bucket("dst").prefix("uploads/20261125/")).contents().stream()
                .count();
    }

    @Test
    void aRunStoppedByTheDeadlineSaysWhereToContinueAndTheNextRunFinishes() throws Exception {
        put(30);
        AtomicInteger checks = new AtomicInteger();
        // plenty of time for the first dozen checks, then the deadline is near
        Deadline closing = () -> checks.incrementAndGet() > 12 ? Duration.ofSeconds(1) : Duration.ofMinutes(10);
        UploadsBackup backup = new UploadsBackup(s3, "src", "media/", "dst", 1, Duration.ofSeconds(20), QUIET);

        UploadsOutcome first = backup.run(DAY, false, closing);
        assertThat(first.status()).isEqualTo(UploadsOutcome.Status.INCOMPLETE);
        assertThat(first.copied()).isBetween(1, 29);
        assertThat(first.resumeFrom()).startsWith("media/");
        assertThat(copiedCount()).isEqualTo(first.copied());

        UploadsOutcome second = backup.run(DAY, false, Deadline.unlimited());
        assertThat(second.status()).isEqualTo(UploadsOutcome.Status.COMPLETE);
        assertThat(second.alreadyCopied()).isEqualTo(first.copied());
        assertThat(second.copied()).isEqualTo(30 - first.copied());
        assertThat(second.resumeFrom()).isNull();
        assertThat(copiedCount()).isEqualTo(30);
    }

    @Test
    void aChangedObjectIsCopiedAgain() throws Exception {
        put(3);
        UploadsBackup backup = new UploadsBackup(s3, "src", "media/", "dst", 4, Duration.ofSeconds(20), QUIET);
        backup.run(DAY, false, Deadline.unlimited());
        s3.putObject(b -> b.bucket("src").key("media/00001.jpg"), RequestBody.fromString("a newer, longer image"));

        UploadsOutcome again = backup.run(DAY, false, Deadline.unlimited());
        assertThat(again.copied()).isEqualTo(1);
        assertThat(again.alreadyCopied()).isEqualTo(2);
    }

    @Test
    void tenThousandObjectsAreCopiedThenRecognisedAsCopied() throws Exception {
        put(10_000);
        UploadsBackup backup = new UploadsBackup(s3, "src", "media/", "dst", 16, Duration.ofSeconds(20), QUIET);

        long start = System.nanoTime();
        UploadsOutcome first = backup.run(DAY, false, Deadline.unlimited());
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        UploadsOutcome second = backup.run(DAY, false, Deadline.unlimited());
        long secondMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "uploads backup of 10,000 objects on moto: copy %d ms, re-run (all skipped) %d ms%n",
                firstMs, secondMs);

        assertThat(first.status()).isEqualTo(UploadsOutcome.Status.COMPLETE);
        assertThat(first.copied()).isEqualTo(10_000);
        assertThat(copiedCount()).isEqualTo(10_000);
        assertThat(second.copied()).isZero();
        assertThat(second.alreadyCopied()).isEqualTo(10_000);
    }
}
