package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.backup.UploadsManifests;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;

/** The uploads backup read back against moto's S3: whole, a version removed, an object changed, the sample. */
@ExtendWith(MotoExtension.class)
class UploadsVerifyIT {
    private static final Instant DAY = Instant.parse("2026-11-25T18:00:00Z");
    private static final String MANIFEST = UploadsManifests.key("20261125");
    private static final OpsLog QUIET =
            new OpsLog("test", Clock.systemUTC(), new PrintStream(OutputStream.nullOutputStream()));

    private S3Client s3;
    private UploadsVerify verify;

    @BeforeEach
    void backedUp(Moto moto) {
        s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        ObjectCopy copier = ObjectCopy.of(s3, moto.aws(), 10L * 1024 * 1024, 4);
        for (String b : new String[] {"src", "dst"}) {
            s3.createBucket(r -> r.bucket(b)
                    .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.AP_NORTHEAST_2)));
        }
        s3.putBucketVersioning(b -> b.bucket("dst").versioningConfiguration(v -> v.status("Enabled")));
        for (int i = 0; i < 6; i++) {
            String key = String.format("media/%02d.mp4", i);
            s3.putObject(b -> b.bucket("src").key(key), RequestBody.fromString("video " + key));
        }
        UploadsBuckets buckets = new UploadsBuckets("src", "media/", "dst");
        new UploadsBackup(s3, copier, buckets, 4, Duration.ofSeconds(20), QUIET).run(DAY, false, Deadline.unlimited());
        verify = new UploadsVerify(s3, copier, buckets, Duration.ofSeconds(20), QUIET);
    }

    private List<Manifest.Entry> manifest() {
        return Manifest.read(
                s3.getObjectAsBytes(b -> b.bucket("dst").key(MANIFEST)).asByteArray());
    }

    @Test
    void aWholeBackupPassesAndTheSampleIsRestoredComparedAndDeleted() {
        UploadsVerify.Outcome outcome = verify.run("latest", 3, true, Deadline.unlimited());

        assertThat(outcome.status()).isEqualTo("PASS");
        assertThat(outcome.day()).isEqualTo("20261125");
        assertThat(outcome.verified()).isEqualTo(6);
        assertThat(outcome.sample().copied()).isEqualTo(3);
        assertThat(outcome.sample().matched()).isEqualTo(3);
        assertThat(outcome.sample().cleaned()).isTrue();
        assertThat(s3.listObjectsV2(b -> b.bucket("dst").prefix("restores/verify/"))
                        .contents())
                .as("the scratch prefix is deleted")
                .isEmpty();
        assertThat(Json.parseEmbedded(
                                s3.getObjectAsBytes(b -> b.bucket("dst").key(UploadsVerify.RESULTS + "latest.json"))
                                        .asUtf8String())
                        .path("status")
                        .asText())
                .isEqualTo("PASS");
    }

    @Test
    void aVersionRemovedFromTheBackupFailsNamingIt() {
        Manifest.Entry gone = manifest().get(2);
        s3.deleteObject(
                b -> b.bucket("dst").key(UploadsBackup.CURRENT + gone.key()).versionId(gone.versionId()));

        UploadsVerify.Outcome outcome = verify.run("20261125", 0, false, Deadline.unlimited());

        assertThat(outcome.status()).isEqualTo("FAIL");
        assertThat(outcome.missing()).isEqualTo(1);
        assertThat(outcome.verified()).isEqualTo(5);
        assertThat(outcome.firstProblems()).singleElement().asString().startsWith(gone.key() + ": missing");
    }

    @Test
    void anObjectThatIsNotWhatTheManifestRecordedFailsNamingIt() {
        // the manifest and the backup disagree on one object: as if its bytes had changed since
        List<Manifest.Entry> entries = new ArrayList<>(manifest());
        Manifest.Entry e = entries.get(4);
        entries.set(
                4, new Manifest.Entry(e.key(), e.versionId(), e.size() + 1, "\"0123456789abcdef0123456789abcdef\""));
        s3.putObject(b -> b.bucket("dst").key(MANIFEST), RequestBody.fromBytes(Manifest.write(entries)));

        UploadsVerify.Outcome outcome = verify.run("20261125", 0, false, Deadline.unlimited());

        assertThat(outcome.status()).isEqualTo("FAIL");
        assertThat(outcome.changed()).isEqualTo(1);
        assertThat(outcome.firstProblems()).singleElement().asString().startsWith(e.key() + ": changed");
    }

    @Test
    void aDayWithoutAManifestAndHostileRequestsChangeNothing() {
        assertThat(verify.run("20200101", 5, false, Deadline.unlimited()).status())
                .isEqualTo("NO_MANIFEST");
        assertThatThrownBy(() -> verify.run("../../etc", 0, false, Deadline.unlimited()))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> verify.run("20261125", 100_000, false, Deadline.unlimited()))
                .isInstanceOf(InvalidEventException.class);
        assertThat(s3.listObjectsV2(b -> b.bucket("dst").prefix("restores/")).contents())
                .isEmpty();
    }
}
