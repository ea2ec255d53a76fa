package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Text;
import com.kfood.ops.shared.backup.UploadsManifests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
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

    /** {@code buckets}: the live uploads (never written) and the backup they are restored from. */
    public UploadsRestore(S3Client s3, ObjectCopy copier, UploadsBuckets buckets, Duration margin, OpsLog log) {
        this.s3 = s3;
        this.copier = copier;
        this.backupBucket = buckets.backup();
        this.uploadsBucket = buckets.source();
        this.uploadsPrefix = buckets.prefix();
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
        String[] target = allowedTarget(day, to);
        String bucket = target[0];
        String prefix = target[1];
        String manifestKey = UploadsManifests.key(day);
        String destination = "s3://" + bucket + "/" + prefix;
        Counts counts;
        try (Manifest.Reader entries = new Manifest.Reader(
                        s3.getObject(b -> b.bucket(backupBucket).key(manifestKey)));
                Restored there = new Restored(bucket, prefix)) {
            counts = restore(entries, there, bucket, prefix, dryRun, deadline);
        } catch (NoSuchKeyException e) {
            return new Outcome(
                    "NO_MANIFEST", day, manifestKey, destination, 0, 0, 0, null, List.of("no manifest for " + day));
        }
        int restored = counts.restored;
        int already = counts.already;
        int failed = counts.failed;
        String resumeFrom = counts.resumeFrom;
        List<String> failures = counts.failures;
        String status =
                dryRun ? "WOULD_RESTORE" : resumeFrom != null ? "INCOMPLETE" : failed > 0 ? "FAILED" : "COMPLETE";
        log.info("uploads restore", "day", day, "status", status, "restored", restored, "already", already);
        return new Outcome(
                status, day, manifestKey, destination, restored, already, failed, resumeFrom, List.copyOf(failures));
    }

    /** The day and the target, checked before anything is read: {bucket, prefix}, never the live uploads. */
    private String[] allowedTarget(String day, String to) {
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
        return target;
    }

    /** A restore's tallies as it goes. */
    private static final class Counts {
        int restored;
        int already;
        int failed;
        String resumeFrom;
        final List<String> failures = new ArrayList<>();
    }

    /** The manifest's entries, each skipped when the target holds it already, else copied back. */
    private Counts restore(
            Manifest.Reader entries, Restored there, String bucket, String prefix, boolean dryRun, Deadline deadline) {
        Counts c = new Counts();
        while (entries.hasNext()) {
            Manifest.Entry e = entries.next();
            if (there.holds(e)) {
                c.already++;
            } else if (deadline.isNear(margin)) {
                c.resumeFrom = e.key();
                break;
            } else if (dryRun) {
                c.restored++;
            } else {
                String failure = copyBack(e, bucket, prefix);
                c.restored += failure == null ? 1 : 0;
                c.failed += failure == null ? 0 : 1;
                if (failure != null && c.failures.size() < MAX_REPORTED_FAILURES) {
                    c.failures.add(failure);
                }
            }
        }
        return c;
    }

    /**
     * What the target already holds, listed in S3's key order as the manifest is: each entry is
     * looked up by walking the listing forward to it, so a resumed restore skips what is there
     * without holding the listing.
     */
    private final class Restored implements AutoCloseable {
        private final String prefix;
        private final java.util.Iterator<S3Object> listing;
        private S3Object next;

        Restored(String bucket, String prefix) {
            this.prefix = prefix;
            this.listing = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
                    .contents()
                    .iterator();
            this.next = listing.hasNext() ? listing.next() : null;
        }

        boolean holds(Manifest.Entry e) {
            while (next != null && KeyOrder.compare(next.key().substring(prefix.length()), e.key()) < 0) {
                next = listing.hasNext() ? listing.next() : null;
            }
            return next != null
                    && next.key().substring(prefix.length()).equals(e.key())
                    && next.size() == e.size()
                    && next.eTag().equals(e.etag());
        }

        @Override
        public void close() {
            // the listing holds no connection between pages
        }
    }

    /** One object copied back from the version the manifest names; the failure said, or null. */
    private String copyBack(Manifest.Entry e, String bucket, String prefix) {
        try {
            copier.restore(backupBucket, e, bucket, prefix + e.key());
            return null;
        } catch (SdkException ex) {
            return e.key() + ": " + Errors.describe(ex);
        }
    }
}
