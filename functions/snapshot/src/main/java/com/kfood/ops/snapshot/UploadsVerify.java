package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Text;
import com.kfood.ops.shared.backup.UploadsManifests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The uploads backup read back: every version a day's manifest names must still be in the backup
 * bucket with its size and ETag (a HeadObject of that version each; nothing is downloaded). Then a
 * sample restored for real: copied server-side to a scratch prefix under {@code restores/verify/},
 * compared, and deleted. The result is kept beside the manifests for the operations report.
 */
public final class UploadsVerify {
    static final String RESULTS = "uploads/verifications/";
    private static final Pattern DAY = Pattern.compile("\\d{8}|latest");
    private static final int NAMED = 10;

    private final S3Client s3;
    private final ObjectCopy copier;
    private final String backupBucket;
    private final Duration margin;
    private final OpsLog log;

    public UploadsVerify(S3Client s3, ObjectCopy copier, UploadsBuckets buckets, Duration margin, OpsLog log) {
        this.s3 = s3;
        this.copier = copier;
        this.backupBucket = buckets.backup();
        this.margin = margin;
        this.log = log;
    }

    /** What a verification found: PASS only when every version is there as named and the sample matched. */
    public record Outcome(
            String status,
            String day,
            String manifest,
            int entries,
            int verified,
            int missing,
            int changed,
            List<String> firstProblems,
            String resumeFrom,
            Sample sample) {}

    /** The sample restored for real: copied to {@code scratch}, compared, and deleted ({@code cleaned}). */
    public record Sample(int copied, int matched, List<String> problems, String scratch, boolean cleaned) {}

    public Outcome run(String day, int sampleSize, boolean keepResult, Deadline deadline) {
        if (day == null || !DAY.matcher(day).matches()) {
            throw new InvalidEventException(
                    "\"day\" must be YYYYMMDD or \"latest\", got '" + Text.printable(day, 20) + "'");
        }
        if (sampleSize < 0 || sampleSize > 1000) {
            throw new InvalidEventException("\"sample\" must be 0 to 1000 objects");
        }
        Optional<String> resolved = "latest".equals(day) ? newestDay() : Optional.of(day);
        if (resolved.isEmpty()) {
            return new Outcome("NO_MANIFEST", day, null, 0, 0, 0, 0, List.of("no manifest yet"), null, null);
        }
        String manifestKey = UploadsManifests.key(resolved.get());
        Outcome outcome;
        try {
            outcome = check(resolved.get(), manifestKey, sampleSize, deadline);
        } catch (NoSuchKeyException e) {
            return new Outcome(
                    "NO_MANIFEST",
                    resolved.get(),
                    manifestKey,
                    0,
                    0,
                    0,
                    0,
                    List.of("no manifest for " + day),
                    null,
                    null);
        }
        log.info(
                "uploads verified",
                "day",
                outcome.day(),
                "status",
                outcome.status(),
                "missing",
                outcome.missing(),
                "changed",
                outcome.changed());
        if (keepResult) {
            keep(outcome);
        }
        return outcome;
    }

    /** The manifest's entries as they stream in (the manifest never whole in memory). */
    private Manifest.Reader entries(String manifestKey) {
        return new Manifest.Reader(s3.getObject(b -> b.bucket(backupBucket).key(manifestKey)));
    }

    private Outcome check(String day, String manifestKey, int sampleSize, Deadline deadline) {
        int entries = 0;
        int verified = 0;
        int missing = 0;
        int changed = 0;
        List<String> problems = new ArrayList<>();
        String resumeFrom = null;
        try (Manifest.Reader manifest = entries(manifestKey)) {
            while (manifest.hasNext()) {
                Manifest.Entry e = manifest.next();
                entries++;
                if (deadline.isNear(margin)) {
                    resumeFrom = e.key();
                    break;
                }
                Optional<HeadObjectResponse> there = head(UploadsBackup.CURRENT + e.key(), e.versionId());
                if (there.isEmpty()) {
                    missing++;
                    name(problems, e.key() + ": missing (version " + e.versionId() + ")");
                } else if (!same(there.get(), e)) {
                    changed++;
                    name(
                            problems,
                            e.key() + ": changed (" + there.get().contentLength() + " bytes, ETag "
                                    + there.get().eTag() + "; the manifest says " + e.size() + ", " + e.etag() + ")");
                } else {
                    verified++;
                }
            }
        }
        Sample sample = resumeFrom == null && sampleSize > 0 ? sample(day, manifestKey, entries, sampleSize) : null;
        boolean passed = resumeFrom == null
                && missing == 0
                && changed == 0
                && (sample == null || sample.problems().isEmpty());
        String status = resumeFrom != null ? "INCOMPLETE" : passed ? "PASS" : "FAIL";
        return new Outcome(
                status,
                day,
                manifestKey,
                entries,
                verified,
                missing,
                changed,
                List.copyOf(problems),
                resumeFrom,
                sample);
    }

    private static void name(List<String> problems, String problem) {
        if (problems.size() < NAMED) {
            problems.add(problem);
        }
    }

    /**
     * The version holds what the manifest recorded: its size, and its ETag, except for an object the
     * backup copied in parts (over MULTIPART_COPY_THRESHOLD_MIB), whose ETag S3 computes from the
     * parts ({@code "<md5 of the parts' md5s>-<parts>"}): there the size is what can be compared.
     */
    static boolean same(HeadObjectResponse o, Manifest.Entry e) {
        if (o.contentLength() == null || o.contentLength() != e.size()) {
            return false;
        }
        String etag = o.eTag() == null ? "" : o.eTag();
        return e.etag().equals(etag) || (etag.contains("-") && !e.etag().contains("-"));
    }

    private Optional<HeadObjectResponse> head(String key, String versionId) {
        try {
            return Optional.of(
                    s3.headObject(b -> b.bucket(backupBucket).key(key).versionId(versionId)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 400) { // a version id S3 no longer has
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Evenly spread entries restored to a scratch prefix, compared, then deleted: a second pass over
     * the manifest, taking every {@code count / size}-th entry.
     */
    private Sample sample(String day, String manifestKey, int count, int size) {
        String scratch = "restores/verify/" + day + "/";
        int step = Math.max(1, count / size);
        List<String> problems = new ArrayList<>();
        List<String> copied = new ArrayList<>();
        int matched = 0;
        int index = 0;
        try (Manifest.Reader manifest = entries(manifestKey)) {
            while (manifest.hasNext() && copied.size() < size) {
                Manifest.Entry e = manifest.next();
                if (index++ % step != 0) {
                    continue;
                }
                try {
                    copier.restore(backupBucket, e, backupBucket, scratch + e.key());
                    copied.add(scratch + e.key());
                    Optional<HeadObjectResponse> restored = head(scratch + e.key(), null);
                    if (restored.isPresent() && same(restored.get(), e)) {
                        matched++;
                    } else {
                        name(problems, e.key() + ": the restored copy differs from the manifest");
                    }
                } catch (SdkException ex) {
                    name(problems, e.key() + ": not restored: " + Errors.describe(ex));
                }
            }
        }
        return new Sample(
                copied.size(), matched, List.copyOf(problems), "s3://" + backupBucket + "/" + scratch, delete(copied));
    }

    /**
     * The scratch copies deleted, one DeleteObject each (a sample is small): a delete marker each,
     * as Object Lock keeps the versions until the restores/ lifecycle expires them.
     */
    private boolean delete(List<String> keys) {
        boolean all = true;
        for (String key : keys) {
            try {
                s3.deleteObject(b -> b.bucket(backupBucket).key(key));
            } catch (SdkException e) {
                log.warn("a scratch copy was not deleted", "key", key, "error", Errors.describe(e));
                all = false;
            }
        }
        return all;
    }

    private Optional<String> newestDay() {
        Optional<String> newest = Optional.empty();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(backupBucket).prefix(UploadsManifests.PREFIX))) {
            for (var o : page.contents()) {
                Optional<String> day = UploadsManifests.day(o.key());
                if (day.isPresent() && (newest.isEmpty() || day.get().compareTo(newest.get()) > 0)) {
                    newest = day;
                }
            }
        }
        return newest;
    }

    /** The newest verification, for the operations report: {@code uploads/verifications/latest.json}. */
    private void keep(Outcome outcome) {
        try {
            s3.putObject(
                    b -> b.bucket(backupBucket).key(RESULTS + "latest.json").contentType("application/json"),
                    RequestBody.fromString(Json.write(outcome)));
        } catch (SdkException e) {
            log.warn("the verification's result was not kept", "error", Errors.describe(e));
        }
    }
}
