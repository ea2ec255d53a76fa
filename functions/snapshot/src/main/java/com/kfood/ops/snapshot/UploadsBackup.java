package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.backup.UploadsManifests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The uploads backed up once, not every day: {@code BACKUP_BUCKET/uploads/current/} holds one copy
 * of each object (server-side CopyObject: nothing passes through the function), and the versioned
 * bucket keeps what a later change or delete replaced. Each day copies only what is new or changed
 * (by size and ETag: the same test resumes a run that stopped at the deadline), places a delete
 * marker for what the source no longer has, and writes the day's manifest
 * ({@code uploads/manifests/YYYYMMDD.jsonl.gz}: key, version id, size, ETag), from which
 * {@link UploadsRestore} rebuilds that day's view. What the backup holds is read from the newest
 * manifest (only this function writes there); so a no-change day costs one listing of the source
 * and one read of a manifest. A first backup, or one whose day never finished, lists the versions.
 */
public final class UploadsBackup {
    private static final int MAX_REPORTED_FAILURES = 20;

    /** The backup's current version of one key. */
    private record Copied(long size, String etag, String versionId) {}

    static final String CURRENT = "uploads/current/";

    private final S3Client s3;
    private final ObjectCopy copier;
    private final String sourceBucket;
    private final String sourcePrefix;
    private final String backupBucket;
    private final Duration margin;
    private final OpsLog log;
    /** Built once: warm invocations reuse the copy threads (daemons: an idle pool never holds the runtime). */
    private final ExecutorService pool;

    public UploadsBackup(
            S3Client s3,
            ObjectCopy copier,
            String sourceBucket,
            String sourcePrefix,
            String backupBucket,
            int concurrency,
            Duration margin,
            OpsLog log) {
        this.s3 = s3;
        this.copier = copier;
        this.sourceBucket = sourceBucket;
        this.sourcePrefix = sourcePrefix;
        this.backupBucket = backupBucket;
        this.margin = margin;
        this.log = log;
        this.pool = Executors.newFixedThreadPool(concurrency, Futures.daemonThreads("uploads-copy"));
    }

    /** Each S3 call of a run, for SnapStart priming (stopped before sending). */
    Runnable[] primingCalls() {
        return new Runnable[] {
            () -> s3.listObjectVersions(b -> b.bucket(backupBucket).prefix(CURRENT)),
            () -> s3.putObject(b -> b.bucket(backupBucket).key("priming"), RequestBody.empty()),
            () -> s3.deleteObject(b -> b.bucket(backupBucket).key("priming")),
            () -> s3.copyObject(b -> b.sourceBucket(sourceBucket)
                    .sourceKey("priming")
                    .destinationBucket(backupBucket)
                    .destinationKey("priming")),
        };
    }

    /** Where the day's manifest is kept. */
    public static String manifestKey(Instant day) {
        return UploadsManifests.key(day);
    }

    public UploadsOutcome run(Instant scheduledFor, boolean dryRun, Deadline deadline) {
        String destination = CURRENT;
        String source = "s3://" + sourceBucket + "/" + sourcePrefix;
        String target = "s3://" + backupBucket + "/" + destination;
        Map<String, Copied> present;
        try {
            present = backedUp(scheduledFor, destination);
        } catch (SdkException e) {
            return new UploadsOutcome(
                    UploadsOutcome.Status.FAILED,
                    source,
                    target,
                    0,
                    0,
                    0,
                    0,
                    0,
                    null,
                    null,
                    List.of("cannot list " + target + ": " + Errors.describe(e)));
        }
        AtomicInteger copied = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        int alreadyCopied = 0;
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        TreeSet<String> notDone = new TreeSet<>();
        // the day's view: every source key and the backup version that holds it
        Map<String, Manifest.Entry> view = new ConcurrentHashMap<>();
        List<Future<?>> inFlight = new ArrayList<>();
        boolean listingComplete = false;
        Set<String> seen = new HashSet<>();
        try {
            var pages = s3.listObjectsV2Paginator(b -> b.bucket(sourceBucket).prefix(sourcePrefix));
            for (var page : pages) {
                for (S3Object object : page.contents()) {
                    String relative = object.key().substring(sourcePrefix.length());
                    if (object.key().endsWith("/")) {
                        continue; // folder marker
                    }
                    seen.add(relative);
                    Copied there = present.get(relative);
                    if (there != null
                            && there.size() == object.size()
                            && there.etag().equals(object.eTag())) {
                        alreadyCopied++;
                        view.put(relative, new Manifest.Entry(relative, there.versionId(), there.size(), there.etag()));
                        continue;
                    }
                    if (dryRun) {
                        copied.incrementAndGet();
                        bytes.addAndGet(object.size());
                        continue;
                    }
                    synchronized (notDone) {
                        notDone.add(object.key());
                    }
                    inFlight.add(pool.submit(() -> copy(
                            object, relative, destination, deadline, copied, failed, bytes, failures, notDone, view)));
                }
                if (deadline.isNear(margin)) {
                    break;
                }
            }
            listingComplete = !deadline.isNear(margin);
            for (Future<?> f : inFlight) {
                f.get();
            }
        } catch (SdkException e) {
            record(failures, "cannot list " + source + ": " + Errors.describe(e));
            failed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            record(failures, Errors.describe(e.getCause()));
        } finally {
            inFlight.forEach(f -> f.cancel(true)); // only what an interrupted run left behind
        }
        String resumeFrom;
        synchronized (notDone) {
            resumeFrom = notDone.isEmpty() ? null : notDone.first();
        }
        int removed = 0;
        String manifest = null;
        // the day's view is written once every object was tried: one that failed is missing from it,
        // said in the failures, and tried again the next day
        boolean tried = resumeFrom == null && listingComplete;
        if (tried && !dryRun) {
            try {
                removed = removeGone(present, seen, destination);
                manifest = manifestKey(scheduledFor);
                String key = manifest;
                s3.putObject(
                        b -> b.bucket(backupBucket)
                                .key(key)
                                .contentType("application/x-ndjson")
                                .contentEncoding("gzip"),
                        RequestBody.fromBytes(Manifest.write(view.values())));
            } catch (SdkException e) {
                failed.incrementAndGet();
                manifest = null;
                record(failures, "the day's manifest: " + Errors.describe(e));
            }
        }
        UploadsOutcome.Status status;
        if (dryRun) {
            status = UploadsOutcome.Status.WOULD_COPY;
        } else if (resumeFrom != null || !listingComplete) {
            status = UploadsOutcome.Status.INCOMPLETE;
        } else {
            status = failed.get() > 0 ? UploadsOutcome.Status.FAILED : UploadsOutcome.Status.COMPLETE;
        }
        if (status == UploadsOutcome.Status.INCOMPLETE && resumeFrom == null) {
            resumeFrom = "(listing stopped at the deadline; run again)";
        }
        log.info(
                "uploads backup",
                "status",
                status.name(),
                "copied",
                copied.get(),
                "alreadyCopied",
                alreadyCopied,
                "failed",
                failed.get(),
                "bytes",
                bytes.get(),
                "removed",
                removed);
        return new UploadsOutcome(
                status,
                source,
                target,
                copied.get(),
                alreadyCopied,
                failed.get(),
                bytes.get(),
                removed,
                resumeFrom,
                manifest,
                List.copyOf(failures));
    }

    /**
     * What the source no longer has gets a delete marker in the backup: its bytes stay, as the
     * version the earlier days' manifests name, until the bucket's noncurrent expiry.
     */
    private int removeGone(Map<String, Copied> present, Set<String> seen, String destination) {
        int removed = 0;
        for (String relative : present.keySet()) {
            if (!seen.contains(relative)) {
                s3.deleteObject(b -> b.bucket(backupBucket).key(destination + relative));
                removed++;
            }
        }
        return removed;
    }

    private void copy(
            S3Object object,
            String relative,
            String destination,
            Deadline deadline,
            AtomicInteger copied,
            AtomicInteger failed,
            AtomicLong bytes,
            List<String> failures,
            TreeSet<String> notDone,
            Map<String, Manifest.Entry> view) {
        if (deadline.isNear(margin)) {
            return; // left for the next run, reported by resumeFrom
        }
        try {
            String versionId = copier.copy(
                    CopyObjectRequest.builder()
                            .sourceBucket(sourceBucket)
                            .sourceKey(object.key())
                            .destinationBucket(backupBucket)
                            .destinationKey(destination + relative)
                            .build(),
                    object.size());
            copied.incrementAndGet();
            bytes.addAndGet(object.size());
            view.put(relative, new Manifest.Entry(relative, versionId, object.size(), object.eTag()));
        } catch (SdkException e) {
            failed.incrementAndGet();
            record(failures, object.key() + ": " + Errors.describe(e));
        }
        synchronized (notDone) {
            notDone.remove(object.key());
        }
    }

    /**
     * What the backup holds now: the newest manifest up to this day says it in one read (only this
     * function writes {@code uploads/current/}, and a manifest is written only once a day's objects
     * were all tried); with no manifest yet (a first backup, or one that has not finished), a listing
     * of the versions.
     */
    private Map<String, Copied> backedUp(Instant day, String destination) {
        String newest = null;
        String upTo = manifestKey(day);
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(backupBucket).prefix(UploadsManifests.PREFIX))
                .contents()) {
            if (o.key().compareTo(upTo) <= 0 && (newest == null || o.key().compareTo(newest) > 0)) {
                newest = o.key();
            }
        }
        if (newest == null) {
            return listDestination(destination);
        }
        String key = newest;
        List<Manifest.Entry> entries;
        try {
            entries = Manifest.read(
                    s3.getObjectAsBytes(b -> b.bucket(backupBucket).key(key)).asByteArray());
        } catch (IllegalArgumentException e) { // a manifest that cannot be read: the versions themselves say it
            log.warn("manifest unreadable, listing the backup instead", "manifest", key, "error", e.getMessage());
            return listDestination(destination);
        }
        Map<String, Copied> present = new HashMap<>();
        for (Manifest.Entry e : entries) {
            present.put(e.key(), new Copied(e.size(), e.etag(), e.versionId()));
        }
        log.info("backup state from the newest manifest", "manifest", key, "objects", present.size());
        return present;
    }

    /** The current version of every key the backup holds (not deleted), by key: one listing pass. */
    private Map<String, Copied> listDestination(String destination) {
        Map<String, Copied> present = new HashMap<>();
        Set<String> deleted = new HashSet<>();
        for (var page :
                s3.listObjectVersionsPaginator(b -> b.bucket(backupBucket).prefix(destination))) {
            page.deleteMarkers().stream()
                    .filter(m -> Boolean.TRUE.equals(m.isLatest()))
                    .forEach(m -> deleted.add(m.key()));
            for (ObjectVersion v : page.versions()) {
                if (Boolean.TRUE.equals(v.isLatest())) {
                    present.put(v.key().substring(destination.length()), new Copied(v.size(), v.eTag(), v.versionId()));
                }
            }
        }
        deleted.forEach(k -> present.remove(k.substring(destination.length())));
        return present;
    }

    private static void record(List<String> failures, String failure) {
        if (failures.size() < MAX_REPORTED_FAILURES) {
            failures.add(failure);
        }
    }
}
