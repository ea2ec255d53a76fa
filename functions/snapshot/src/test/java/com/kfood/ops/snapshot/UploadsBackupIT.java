package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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

/**
 * The uploads copy against moto's S3: resume after the deadline, a 10,000-object source, the days'
 * restores, and an object copied in parts.
 */
@ExtendWith(MotoExtension.class)
class UploadsBackupIT {
    private static final Instant DAY = Instant.parse("2026-11-25T18:00:00Z");
    private static final OpsLog QUIET =
            new OpsLog("test", Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()));

    private static final long MIB = 1024 * 1024;

    private S3Client s3;
    /** Multipart above 10 MiB (the lowest threshold allowed), so a test object shows the path. */
    private ObjectCopy copier;

    @BeforeEach
    void buckets(Moto moto) {
        s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        copier = ObjectCopy.of(s3, moto.aws(), 10 * MIB, 4);
        for (String b : new String[] {"src", "dst"}) {
            s3.createBucket(r -> r.bucket(b)
                    .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.AP_NORTHEAST_2)));
        }
        // the template's backup bucket is versioned: each day's manifest names the versions
        s3.putBucketVersioning(b -> b.bucket("dst").versioningConfiguration(v -> v.status("Enabled")));
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
        return s3.listObjectsV2Paginator(b -> b.bucket("dst").prefix("uploads/current/")).contents().stream()
                .count();
    }

    @Test
    void aRunStoppedByTheDeadlineSaysWhereToContinueAndTheNextRunFinishes() throws Exception {
        put(30);
        AtomicInteger checks = new AtomicInteger();
        // plenty of time for the first dozen checks, then the deadline is near
        Deadline closing = () -> checks.incrementAndGet() > 12 ? Duration.ofSeconds(1) : Duration.ofMinutes(10);
        UploadsBackup backup = new UploadsBackup(
                s3, copier, new UploadsBuckets("src", "media/", "dst"), 1, Duration.ofSeconds(20), QUIET);

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
        UploadsBackup backup = new UploadsBackup(
                s3, copier, new UploadsBuckets("src", "media/", "dst"), 4, Duration.ofSeconds(20), QUIET);
        backup.run(DAY, false, Deadline.unlimited());
        s3.putObject(b -> b.bucket("src").key("media/00001.jpg"), RequestBody.fromString("a newer, longer image"));

        UploadsOutcome again = backup.run(DAY, false, Deadline.unlimited());
        assertThat(again.copied()).isEqualTo(1);
        assertThat(again.alreadyCopied()).isEqualTo(2);
    }

    @Test
    void tenThousandObjectsAreCopiedThenRecognisedAsCopied() throws Exception {
        put(10_000);
        UploadsBackup backup = new UploadsBackup(
                s3, copier, new UploadsBuckets("src", "media/", "dst"), 16, Duration.ofSeconds(20), QUIET);

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

    /** Key to content of a bucket's prefix, as it stands. */
    private Map<String, String> contents(String bucket, String prefix) {
        Map<String, String> out = new TreeMap<>();
        for (var o :
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            out.put(
                    o.key().substring(prefix.length()),
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asUtf8String());
        }
        return out;
    }

    @Test
    void eachDayIsBackedUpOnceAndAnyDayOfTheWindowRestoresAsItWas() {
        for (int i = 0; i < 5; i++) {
            String key = "media/" + i + ".mp4";
            s3.putObject(b -> b.bucket("src").key(key), RequestBody.fromString("day one " + key));
        }
        UploadsBackup backup = new UploadsBackup(
                s3, copier, new UploadsBuckets("src", "media/", "dst"), 4, Duration.ofSeconds(20), QUIET);
        UploadsRestore restore = new UploadsRestore(
                s3, copier, new UploadsBuckets("src", "uploads/", "dst"), Duration.ofSeconds(20), QUIET);

        UploadsOutcome day1 = backup.run(DAY, false, Deadline.unlimited());
        assertThat(day1.copied()).isEqualTo(5);
        assertThat(day1.manifest()).isEqualTo("uploads/manifests/20261125.jsonl.gz");
        Map<String, String> asOnDay1 = contents("src", "media/");

        // day two: one changed, one deleted, one new; the rest as they were
        s3.putObject(b -> b.bucket("src").key("media/1.mp4"), RequestBody.fromString("day two, re-encoded"));
        s3.deleteObject(b -> b.bucket("src").key("media/2.mp4"));
        s3.putObject(b -> b.bucket("src").key("media/9.mp4"), RequestBody.fromString("day two, new"));
        UploadsOutcome day2 = backup.run(DAY.plus(Duration.ofDays(1)), false, Deadline.unlimited());
        assertThat(day2.copied()).isEqualTo(2); // the changed and the new: not the whole bucket again
        assertThat(day2.alreadyCopied()).isEqualTo(3);
        assertThat(day2.removed()).isEqualTo(1);
        Map<String, String> asOnDay2 = contents("src", "media/");

        // day three: nothing changed, nothing copied
        UploadsOutcome day3 = backup.run(DAY.plus(Duration.ofDays(2)), false, Deadline.unlimited());
        assertThat(day3.copied()).isZero();
        assertThat(day3.removed()).isZero();

        UploadsRestore.Outcome back1 = restore.run("20261125", "s3://dst/restores/d1/", false, Deadline.unlimited());
        assertThat(back1.status()).isEqualTo("COMPLETE");
        assertThat(contents("dst", "restores/d1/")).isEqualTo(asOnDay1);
        restore.run("20261126", "s3://dst/restores/d2/", false, Deadline.unlimited());
        assertThat(contents("dst", "restores/d2/")).isEqualTo(asOnDay2).doesNotContainKey("2.mp4");
        // run again: what is there is skipped
        assertThat(restore.run("20261125", "s3://dst/restores/d1/", false, Deadline.unlimited())
                        .alreadyThere())
                .isEqualTo(5);
    }

    @Test
    void aRestoreNeverWritesOverTheLiveUploadsNorOutsideRestoresInTheBackupBucket() {
        UploadsRestore restore = new UploadsRestore(
                s3, copier, new UploadsBuckets("src", "uploads/", "dst"), Duration.ofSeconds(20), QUIET);
        assertThatThrownBy(() -> restore.run("20261125", "s3://src/", false, Deadline.unlimited()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("never writes over the live uploads");
        // inside the live prefix, or a prefix that holds it: refused as well
        assertThatThrownBy(() -> restore.run("20261125", "s3://src/uploads/restored/", false, Deadline.unlimited()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("never writes over the live uploads");
        assertThatThrownBy(() -> restore.run("20261125", "s3://src/uploads/", false, Deadline.unlimited()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("never writes over the live uploads");
        assertThatThrownBy(() -> restore.run("20261125", "s3://dst/uploads/current/", false, Deadline.unlimited()))
                .hasMessageContaining("only under restores/");
        assertThatThrownBy(() -> restore.run("2026-11-25", "s3://dst/restores/x/", false, Deadline.unlimited()))
                .hasMessageContaining("YYYYMMDD");
        assertThat(restore.run("20260101", "s3://dst/restores/x/", false, Deadline.unlimited())
                        .status())
                .isEqualTo("NO_MANIFEST");
    }

    @Test
    void aManifestThatCannotBeReadFallsBackToTheBackupsOwnVersions() {
        for (int i = 0; i < 3; i++) {
            String key = "media/" + i + ".mp4";
            s3.putObject(b -> b.bucket("src").key(key), RequestBody.fromString("day one " + key));
        }
        UploadsBackup backup = new UploadsBackup(
                s3, copier, new UploadsBuckets("src", "media/", "dst"), 4, Duration.ofSeconds(20), QUIET);
        backup.run(DAY, false, Deadline.unlimited());
        s3.putObject(
                b -> b.bucket("dst").key("uploads/manifests/20261125.jsonl.gz"), RequestBody.fromString("not gzip"));
        s3.putObject(b -> b.bucket("src").key("media/0.mp4"), RequestBody.fromString("day two"));

        UploadsOutcome day2 = backup.run(DAY.plus(Duration.ofDays(1)), false, Deadline.unlimited());
        assertThat(day2.copied()).isEqualTo(1); // the listing of the versions knew the other two
        assertThat(day2.alreadyCopied()).isEqualTo(2);
        assertThat(day2.status()).isEqualTo(UploadsOutcome.Status.COMPLETE);
    }

    @Test
    void anObjectAboveTheThresholdIsCopiedInPartsWithItsHeadersAndTagsAndRestoresAsItWas() {
        byte[] video = new byte[(int) (12 * MIB)];
        new Random(7).nextBytes(video);
        s3.putObject(
                b -> b.bucket("src")
                        .key("media/long.mp4")
                        .contentType("video/mp4")
                        .metadata(Map.of("uploader", "42"))
                        .tagging("kind=video"),
                RequestBody.fromBytes(video));
        s3.putObject(b -> b.bucket("src").key("media/short.jpg"), RequestBody.fromString("image"));
        UploadsBackup backup = new UploadsBackup(
                s3, copier, new UploadsBuckets("src", "media/", "dst"), 4, Duration.ofSeconds(20), QUIET);

        UploadsOutcome day1 = backup.run(DAY, false, Deadline.unlimited());

        assertThat(day1.status()).isEqualTo(UploadsOutcome.Status.COMPLETE);
        assertThat(day1.copied()).isEqualTo(2);
        assertThat(day1.failed()).isZero();
        String key = "uploads/current/long.mp4";
        var head = s3.headObject(b -> b.bucket("dst").key(key));
        // 5 + 5 + 2 MiB: S3 names a multipart object's ETag by its part count
        assertThat(head.eTag()).endsWith("-3\"");
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.metadata()).containsEntry("uploader", "42");
        assertThat(s3.getObjectTagging(b -> b.bucket("dst").key(key)).tagSet())
                .singleElement()
                .satisfies(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("kind=video"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("dst").key(key)).asByteArray())
                .isEqualTo(video);

        // the next day it is recognised as copied (the manifest keeps the source's ETag), not copied again
        UploadsOutcome day2 = backup.run(DAY.plus(Duration.ofDays(1)), false, Deadline.unlimited());
        assertThat(day2.copied()).isZero();
        assertThat(day2.alreadyCopied()).isEqualTo(2);

        UploadsRestore.Outcome back = new UploadsRestore(
                        s3, copier, new UploadsBuckets("src", "uploads/", "dst"), Duration.ofSeconds(20), QUIET)
                .run("20261125", "s3://dst/restores/d1/", false, Deadline.unlimited());
        assertThat(back.status()).isEqualTo("COMPLETE");
        assertThat(back.restored()).isEqualTo(2);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("dst").key("restores/d1/long.mp4"))
                        .asByteArray())
                .isEqualTo(video);
    }

    @Test
    void keysBeyondTheBasicPlaneMergeInS3sOrderSoNothingIsCopiedTwice() {
        // U+1F35C sorts after U+E000 in UTF-8 (S3's listing and the manifest) but before it in UTF-16
        for (String key : List.of("media/\uE000.jpg", "media/\uD83C\uDF5C.jpg", "media/a.jpg")) {
            s3.putObject(b -> b.bucket("src").key(key), RequestBody.fromString("image " + key));
        }
        UploadsBackup backup = new UploadsBackup(
                s3, copier, new UploadsBuckets("src", "media/", "dst"), 2, Duration.ofSeconds(20), QUIET);
        assertThat(backup.run(DAY, false, Deadline.unlimited()).copied()).isEqualTo(3);

        UploadsOutcome day2 = backup.run(DAY.plus(Duration.ofDays(1)), false, Deadline.unlimited());

        assertThat(day2.alreadyCopied()).isEqualTo(3);
        assertThat(day2.copied()).isZero();
        assertThat(day2.removed()).isZero();
        assertThat(day2.status()).isEqualTo(UploadsOutcome.Status.COMPLETE);
    }

    @Test
    void aKeyWhoseDeleteMarkerIsAlreadyPlacedGetsNoSecondOne() {
        for (String key : List.of("media/a.jpg", "media/b.jpg")) {
            s3.putObject(b -> b.bucket("src").key(key), RequestBody.fromString("image " + key));
        }
        UploadsBackup backup = new UploadsBackup(
                s3, copier, new UploadsBuckets("src", "media/", "dst"), 2, Duration.ofSeconds(20), QUIET);
        backup.run(DAY, false, Deadline.unlimited());
        s3.deleteObject(b -> b.bucket("src").key("media/b.jpg"));
        // as a run stopped by its deadline leaves it: the marker placed, the day's manifest not written
        s3.deleteObject(b -> b.bucket("dst").key("uploads/current/b.jpg"));

        UploadsOutcome day2 = backup.run(DAY.plus(Duration.ofDays(1)), false, Deadline.unlimited());

        assertThat(day2.removed()).isEqualTo(1);
        assertThat(s3.listObjectVersions(b -> b.bucket("dst").prefix("uploads/current/b.jpg"))
                        .deleteMarkers())
                .hasSize(1);
    }

    @Test
    void aManifestLargerThanAPartIsUploadedInPartsAndReadsBackWhole() throws Exception {
        byte[] noise = new byte[ManifestUpload.PART + 1024 * 1024];
        new java.util.Random(7).nextBytes(noise);
        ManifestUpload upload = new ManifestUpload(s3, "dst", "uploads/manifests/big.bin");
        try (upload) {
            // in the gzip stream's own blocks, as the day's manifest is written
            for (int at = 0; at < noise.length; at += 64 * 1024) {
                upload.write(noise, at, Math.min(64 * 1024, noise.length - at));
            }
        }
        upload.complete();

        assertThat(s3.getObjectAsBytes(b -> b.bucket("dst").key("uploads/manifests/big.bin"))
                        .asByteArray())
                .isEqualTo(noise);
        assertThat(s3.headObject(b -> b.bucket("dst").key("uploads/manifests/big.bin"))
                        .eTag())
                .endsWith("-2\"");
    }

    @Test
    void anAbortedManifestLeavesNothing() {
        ManifestUpload upload = new ManifestUpload(s3, "dst", "uploads/manifests/never.bin");
        upload.write(new byte[ManifestUpload.PART + 1], 0, ManifestUpload.PART + 1);
        upload.abort();

        assertThat(s3.listObjectsV2(b -> b.bucket("dst").prefix("uploads/manifests/"))
                        .contents())
                .isEmpty();
        assertThat(s3.listMultipartUploads(b -> b.bucket("dst")).uploads()).isEmpty();
    }
}
