package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Text;
import com.kfood.ops.shared.backup.UploadsManifests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A day's view of the uploads rebuilt from its manifest: each object copied server-side from the
 * backup version the manifest names (CopyObject with the version id; nothing passes through the
 * function), into a prefix. Never over the live uploads: the uploads bucket only under a prefix,
 * the backup bucket only under {@code restores/}. Objects already restored (same size and ETag) are
 * skipped, so a run that stopped at the deadline is resumed by running it again.
 */
public final class UploadsRestore {
    private static final Pattern DAY = Pattern.compile("\\d{8}");
    private static final Pattern TARGET = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.*)");
    private static final int MAX_REPORTED_FAILURES = 20;

    private final S3Client s3;
    private final ObjectCopy copier;
    private final String backupBucket;
    private final String uploadsBucket;
    private final String uploadsPrefix;
    private final Duration margin;
    private final OpsLog log;

    /** {@code uploadsBucket} and {@code uploadsPrefix}: where the live uploads are, never written. */
    public UploadsRestore(
            S3Client s3,
            ObjectCopy copier,
            String backupBucket,
            String uploadsBucket,
            String uploadsPrefix,
            Duration margin,
            OpsLog log) {
        this.s3 = s3;
        this.copier = copier;
        this.backupBucket = backupBucket;
        this.uploadsBucket = uploadsBucket;
        this.uploadsPrefix = uploadsPrefix;
        this.margin = margin;
        this.log = log;
    }

    /** What a restore did: {@code resumeFrom} is the first key left when it stopped at the deadline. */
    public record Outcome(
            String status,
            String day,
            String manifest,
            String destination,
            int restored,
            int alreadyThere,
            int failed,
            String resumeFrom,
            List<String> failures) {}

    /** Where a restore may write, checked before anything is read: {bucket, prefix}. */
    static String[] target(String to) {
        Matcher m = TARGET.matcher(to == null ? "" : to);
        if (!m.matches()) {
            throw new InvalidEventException("\"to\" must be s3://bucket/prefix/, got '" + Text.printable(to, 80) + "'");
        }
        String prefix = m.group(2).isEmpty() || m.group(2).endsWith("/") ? m.group(2) : m.group(2) + "/";
        return new String[] {m.group(1), prefix};
    }

    public Outcome run(String day, String to, boolean dryRun, Deadline deadline) {
        if (day == null || !DAY.matcher(day).matches()) {
            throw new InvalidEventException("\"day\" must be YYYYMMDD, got '" + Text.printable(day, 20) + "'");
        }
        String[] target = target(to);
        String bucket = target[0];
        String prefix = target[1];
        if (bucket.equals(uploadsBucket) && (prefix.startsWith(uploadsPrefix) || uploadsPrefix.startsWith(prefix))) {
            throw new InvalidEventException("a restore never writes over the live uploads (s3://" + uploadsBucket + "/"
                    + uploadsPrefix + "): give a prefix outside them");
        }
        if (bucket.equals(backupBucket) && !prefix.startsWith("restores/")) {
            throw new InvalidEventException("in the backup bucket a restore writes only under restores/");
        }
        String manifestKey = UploadsManifests.key(day);
        String destination = "s3://" + bucket + "/" + prefix;
        List<Manifest.Entry> entries;
        try {
            entries = Manifest.read(
                    s3.getObjectAsBytes(b -> b.bucket(backupBucket).key(manifestKey))
                            .asByteArray());
        } catch (NoSuchKeyException e) {
            return new Outcome(
                    "NO_MANIFEST", day, manifestKey, destination, 0, 0, 0, null, List.of("no manifest for " + day));
        }
        Map<String, String> there = new HashMap<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
            for (S3Object o : page.contents()) {
                there.put(o.key().substring(prefix.length()), o.size() + "/" + o.eTag());
            }
        }
        int restored = 0;
        int already = 0;
        int failed = 0;
        String resumeFrom = null;
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        for (Manifest.Entry e : entries) {
            if ((e.size() + "/" + e.etag()).equals(there.get(e.key()))) {
                already++;
                continue;
            }
            if (deadline.isNear(margin)) {
                resumeFrom = e.key();
                break;
            }
            if (dryRun) {
                restored++;
                continue;
            }
            try {
                copier.copy(
                        CopyObjectRequest.builder()
                                .sourceBucket(backupBucket)
                                .sourceKey(UploadsBackup.CURRENT + e.key())
                                .sourceVersionId(e.versionId())
                                .destinationBucket(bucket)
                                .destinationKey(prefix + e.key())
                                .build(),
                        e.size());
                restored++;
            } catch (SdkException ex) {
                failed++;
                if (failures.size() < MAX_REPORTED_FAILURES) {
                    failures.add(e.key() + ": " + Errors.describe(ex));
                }
            }
        }
        String status =
                dryRun ? "WOULD_RESTORE" : resumeFrom != null ? "INCOMPLETE" : failed > 0 ? "FAILED" : "COMPLETE";
        log.info("uploads restore", "day", day, "status", status, "restored", restored, "already", already);
        return new Outcome(
                status, day, manifestKey, destination, restored, already, failed, resumeFrom, List.copyOf(failures));
    }
}
