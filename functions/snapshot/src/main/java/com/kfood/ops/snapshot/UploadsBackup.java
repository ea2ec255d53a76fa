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
            S3Client s3, ObjectCopy copier, UploadsBuckets buckets, int concurrency, Duration margin, OpsLog log) {
        this.s3 = s3;
        this.copier = copier;
        this.sourceBucket = buckets.source();
        this.sourcePrefix = buckets.prefix();
        this.backupBucket = buckets.backup();
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
        Map<String, Copied> present;
        try {
            present = backedUp(scheduledFor, CURRENT);
        } catch (SdkException e) {
            return UploadsOutcome.failed(source(), target(), "cannot list " + target() + ": " + Errors.describe(e));
        }
        Pass pass = new Pass(present, dryRun, deadline);
        pass.walk();
        // the day's view is written once every object was tried: one that failed is missing from it,
        // said in the failures, and tried again the next day
        if (pass.tried() && !dryRun) {
            pass.closeDay(scheduledFor);
        }
        UploadsOutcome outcome = pass.outcome();
        log.info(
                "uploads backup",
                "status",
                outcome.status().name(),
                "copied",
                outcome.copied(),
                "alreadyCopied",
                outcome.alreadyCopied(),
                "failed",
                outcome.failed(),
                "bytes",
                outcome.bytesCopied(),
                "removed",
                outcome.removed());
        return outcome;
    }

    private String source() {
        return "s3://" + sourceBucket + "/" + sourcePrefix;
    }

    private String target() {
        return "s3://" + backupBucket + "/" + CURRENT;
    }

    /**
     * One run's walk over the source: what it copied, skipped and failed, and the day's view (every
     * source key and the backup version that holds it). Copies run on the pool; the listing thread
     * alone touches {@code seen} and {@code alreadyCopied}.
     */
    private final class Pass {
        private final Map<String, Copied> present;
        private final boolean dryRun;
        private final Deadline deadline;
        private final AtomicInteger copied = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final TreeSet<String> notDone = new TreeSet<>();
        private final Map<String, Manifest.Entry> view = new ConcurrentHashMap<>();
        private final Set<String> seen = new HashSet<>();
        private int alreadyCopied;
        private boolean listingComplete;
        private int removed;
        private String manifest;

        Pass(Map<String, Copied> present, boolean dryRun, Deadline deadline) {
            this.present = present;
            this.dryRun = dryRun;
            this.deadline = deadline;
        }

        /** Lists the source, copies what is new or changed, and waits for the copies. */
        void walk() {
            List<Future<?>> inFlight = new ArrayList<>();
            try {
                var pages =
                        s3.listObjectsV2Paginator(b -> b.bucket(sourceBucket).prefix(sourcePrefix));
                for (var page : pages) {
                    for (S3Object object : page.contents()) {
                        if (!object.key().endsWith("/")) { // a folder marker holds nothing
                            consider(object, inFlight);
                        }
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
                record(failures, "cannot list " + source() + ": " + Errors.describe(e));
                failed.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                record(failures, Errors.describe(e.getCause()));
            } finally {
                inFlight.forEach(f -> f.cancel(true)); // only what an interrupted run left behind
            }
        }

        private void consider(S3Object object, List<Future<?>> inFlight) {
            String relative = object.key().substring(sourcePrefix.length());
            seen.add(relative);
            Copied there = present.get(relative);
            if (there != null && there.size() == object.size() && there.etag().equals(object.eTag())) {
                alreadyCopied++;
                view.put(relative, new Manifest.Entry(relative, there.versionId(), there.size(), there.etag()));
            } else if (dryRun) {
                copied.incrementAndGet();
                bytes.addAndGet(object.size());
            } else {
                synchronized (notDone) {
                    notDone.add(object.key());
                }
                inFlight.add(pool.submit(() -> copy(object, relative)));
            }
        }

        private void copy(S3Object object, String relative) {
            if (deadline.isNear(margin)) {
                return; // left for the next run, reported by resumeFrom
            }
            try {
                String versionId = copier.copy(
                        CopyObjectRequest.builder()
                                .sourceBucket(sourceBucket)
                                .sourceKey(object.key())
                                .destinationBucket(backupBucket)
                                .destinationKey(CURRENT + relative)
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

        private String resumeFrom() {
            synchronized (notDone) {
                return notDone.isEmpty() ? null : notDone.first();
            }
        }

        boolean tried() {
            return resumeFrom() == null && listingComplete;
        }

        /** What the source no longer has gets its delete marker, and the day's manifest is written. */
        void closeDay(Instant scheduledFor) {
            try {
                removed = removeGone(present, seen, CURRENT);
                String key = manifestKey(scheduledFor);
                s3.putObject(
                        b -> b.bucket(backupBucket)
                                .key(key)
                                .contentType("application/x-ndjson")
                                .contentEncoding("gzip"),
                        RequestBody.fromBytes(Manifest.write(view.values())));
                manifest = key;
            } catch (SdkException e) {
                failed.incrementAndGet();
                record(failures, "the day's manifest: " + Errors.describe(e));
            }
        }

        UploadsOutcome outcome() {
            String resumeFrom = resumeFrom();
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
            return new UploadsOutcome(
                    status,
                    source(),
                    target(),
                    copied.get(),
                    alreadyCopied,
                    failed.get(),
                    bytes.get(),
                    removed,
                    resumeFrom,
                    manifest,
                    List.copyOf(failures));
        }
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
