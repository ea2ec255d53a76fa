package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.backup.UploadsManifests;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The uploads backed up once, not every day: {@code BACKUP_BUCKET/uploads/current/} holds one copy
 * of each object (server-side CopyObject: nothing passes through the function), and the versioned
 * bucket keeps what a later change or delete replaced. Each day copies only what is new or changed
 * (by size and ETag: the same test resumes a run that stopped at the deadline), places a delete
 * marker for what the source no longer has, and writes the day's manifest
 * ({@code uploads/manifests/YYYYMMDD.jsonl.gz}: key, version id, size, ETag), from which
 * {@link UploadsRestore} rebuilds that day's view. The source's listing and the newest manifest
 * (only this function writes there) are both in S3's key order and are merged as they stream in;
 * the new manifest is uploaded as it is written. A first backup, or one whose day never finished,
 * merges with the versions' listing instead. Memory stays flat in the number of objects.
 */
public final class UploadsBackup {
    private static final int MAX_REPORTED_FAILURES = 20;

    /** The backup's current version of one key. */
    private record Copied(long size, String etag, String versionId) {}

    static final String CURRENT = "uploads/current/";

    /** The size a copy the deadline left for the next run reports (no object has it). */
    private static final long LEFT = -1;

    private final S3Client s3;
    private final ObjectCopy copier;
    private final String sourceBucket;
    private final String sourcePrefix;
    private final String backupBucket;
    private final Duration margin;
    private final OpsLog log;
    /** Built once: warm invocations reuse the copy threads (daemons: an idle pool never holds the runtime). */
    private final ExecutorService pool;
    /** Copies started and not yet in the manifest, at most: past it the listing waits (backpressure). */
    private final int window;

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
        this.window = Math.max(64, 8 * concurrency);
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
        Pass pass;
        try {
            pass = pass(scheduledFor, dryRun, deadline, false);
        } catch (SdkException e) {
            return UploadsOutcome.failed(source(), target(), "cannot list " + target() + ": " + Errors.describe(e));
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

    /**
     * One walk over the source merged with what the backup holds. A manifest found unreadable part way
     * is walked again over the versions themselves: what the first walk copied is among them.
     */
    private Pass pass(Instant scheduledFor, boolean dryRun, Deadline deadline, boolean listVersions) {
        try (BackupHoldings held = holdings(scheduledFor, listVersions)) {
            Pass pass = new Pass(held, dryRun, deadline, manifestKey(scheduledFor));
            pass.walk();
            return pass;
        } catch (IllegalArgumentException e) {
            if (listVersions) {
                throw e;
            }
            log.warn("manifest unreadable, listing the backup instead", "error", e.getMessage());
            return pass(scheduledFor, dryRun, deadline, true);
        }
    }

    private String source() {
        return "s3://" + sourceBucket + "/" + sourcePrefix;
    }

    private String target() {
        return "s3://" + backupBucket + "/" + CURRENT;
    }

    /**
     * One run's walk: the source's listing and the backup's holdings, both in S3's key order, merged
     * key by key. A key in both with the same size and ETag is already copied; one only in the source
     * (or changed) is copied; one only in the holdings is gone from the source. Copies run on the pool
     * through a bounded window, in listing order, so the day's manifest is written as they finish and
     * the listing waits when the window is full. Nothing here grows with the number of objects.
     */
    private final class Pass {
        private final BackupHoldings held;
        private final boolean dryRun;
        private final Deadline deadline;
        private final String manifestKey;
        private final Deque<Future<Manifest.Entry>> inFlight = new ArrayDeque<>();
        private final AtomicInteger copied = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private ManifestUpload upload;
        private Manifest.Writer day;
        private int alreadyCopied;
        private boolean listingComplete;
        private int removed;
        private String resumeFrom;
        private String lastListed;
        private String manifest;

        Pass(BackupHoldings held, boolean dryRun, Deadline deadline, String manifestKey) {
            this.held = held;
            this.dryRun = dryRun;
            this.deadline = deadline;
            this.manifestKey = manifestKey;
        }

        /** Lists the source, merges, copies what is new or changed, and writes the day's manifest. */
        void walk() {
            if (!dryRun) {
                upload = new ManifestUpload(s3, backupBucket, manifestKey);
                day = new Manifest.Writer(upload);
            }
            try {
                var pages =
                        s3.listObjectsV2Paginator(b -> b.bucket(sourceBucket).prefix(sourcePrefix));
                for (var page : pages) {
                    for (S3Object object : page.contents()) {
                        if (!object.key().endsWith("/")) { // a folder marker holds nothing
                            consider(object);
                        }
                    }
                    if (deadline.isNear(margin)) {
                        break;
                    }
                }
                listingComplete = !deadline.isNear(margin);
                if (listingComplete) {
                    while (held.peek() != null) {
                        gone(held.take());
                    }
                }
                while (!inFlight.isEmpty()) {
                    writeHead();
                }
            } catch (SdkException e) {
                record(failures, "cannot list " + source() + ": " + Errors.describe(e));
                failed.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                record(failures, Errors.describe(e.getCause()));
                failed.incrementAndGet();
            } finally {
                inFlight.forEach(f -> f.cancel(true)); // only what an interrupted run left behind
                closeDay();
            }
        }

        private void consider(S3Object object) throws InterruptedException, ExecutionException {
            String relative = object.key().substring(sourcePrefix.length());
            lastListed = object.key();
            while (held.peek() != null && KeyOrder.compare(held.peek().key(), relative) < 0) {
                gone(held.take());
            }
            Manifest.Entry there = held.peek() != null && held.peek().key().equals(relative) ? held.take() : null;
            if (there != null && there.size() == object.size() && there.etag().equals(object.eTag())) {
                alreadyCopied++;
                inFlight.addLast(CompletableFuture.completedFuture(
                        new Manifest.Entry(relative, there.versionId(), there.size(), there.etag())));
            } else if (dryRun) {
                copied.incrementAndGet();
                bytes.addAndGet(object.size());
            } else {
                inFlight.addLast(pool.submit(() -> copy(object, relative)));
            }
            while (!inFlight.isEmpty() && (inFlight.peekFirst().isDone() || inFlight.size() >= window)) {
                writeHead();
            }
        }

        /** The oldest copy's entry into the manifest (waiting for it); a skipped one is where to resume. */
        private void writeHead() throws InterruptedException, ExecutionException {
            Manifest.Entry e = inFlight.removeFirst().get();
            if (e == null) {
                return; // failed: said in the failures, missing from the day, tried again the next day
            }
            if (e.size() == LEFT) {
                resumeFrom = resumeFrom == null ? sourcePrefix + e.key() : resumeFrom;
            } else if (day != null) {
                day.add(e);
            }
        }

        private Manifest.Entry copy(S3Object object, String relative) {
            if (deadline.isNear(margin)) {
                return new Manifest.Entry(relative, null, LEFT, ""); // left for the next run
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
                return new Manifest.Entry(relative, versionId, object.size(), object.eTag());
            } catch (SdkException e) {
                failed.incrementAndGet();
                record(failures, object.key() + ": " + Errors.describe(e));
                return null;
            }
        }

        /**
         * What the source no longer has gets a delete marker in the backup: its bytes stay, as the
         * version the earlier days' manifests name, until the bucket's noncurrent expiry. A key whose
         * newest version is a marker already (a run that stopped after placing it) gets no second one.
         */
        private void gone(Manifest.Entry e) {
            if (dryRun) {
                return;
            }
            String key = CURRENT + e.key();
            try {
                s3.headObject(b -> b.bucket(backupBucket).key(key));
                s3.deleteObject(b -> b.bucket(backupBucket).key(key));
                removed++;
            } catch (NoSuchKeyException alreadyGone) {
                removed++;
            } catch (SdkException ex) {
                failed.incrementAndGet();
                record(failures, key + ": the delete marker: " + Errors.describe(ex));
            }
        }

        boolean tried() {
            return resumeFrom == null && listingComplete;
        }

        /**
         * The day's manifest is made visible once every object was tried: one that failed is missing
         * from it, said in the failures, and tried again the next day. Otherwise its upload is dropped.
         */
        private void closeDay() {
            if (day == null) {
                return;
            }
            try {
                day.close();
                if (tried() && !Thread.currentThread().isInterrupted()) {
                    upload.complete();
                    manifest = manifestKey;
                } else {
                    upload.abort();
                }
            } catch (IOException | SdkException e) {
                failed.incrementAndGet();
                record(failures, "the day's manifest: " + Errors.describe(e));
                try {
                    upload.abort();
                } catch (SdkException ignored) {
                    // the lifecycle rule for incomplete uploads ends it
                }
            }
            log.info("backup state merged", "from", held.source(), "objects", held.read());
        }

        UploadsOutcome outcome() {
            UploadsOutcome.Status status;
            if (dryRun) {
                status = UploadsOutcome.Status.WOULD_COPY;
            } else if (resumeFrom != null || !listingComplete) {
                status = UploadsOutcome.Status.INCOMPLETE;
            } else {
                status = failed.get() > 0 ? UploadsOutcome.Status.FAILED : UploadsOutcome.Status.COMPLETE;
            }
            String resume = resumeFrom;
            if (status == UploadsOutcome.Status.INCOMPLETE && resume == null) {
                resume = lastListed == null
                        ? "(listing stopped at the deadline; run again)"
                        : lastListed + " (listing stopped at the deadline after it; run again)";
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
                    resume,
                    manifest,
                    List.copyOf(failures));
        }
    }

    /**
     * What the backup holds now: the newest manifest up to this day (only this function writes
     * {@code uploads/current/}, and a manifest is written only once a day's objects were all tried),
     * streamed; with no manifest yet (a first backup, or one that has not finished), the versions.
     */
    private BackupHoldings holdings(Instant day, boolean listVersions) {
        String newest = null;
        String upTo = manifestKey(day);
        if (!listVersions) {
            for (S3Object o : s3.listObjectsV2Paginator(
                            b -> b.bucket(backupBucket).prefix(UploadsManifests.PREFIX))
                    .contents()) {
                if (o.key().compareTo(upTo) <= 0 && (newest == null || o.key().compareTo(newest) > 0)) {
                    newest = o.key();
                }
            }
        }
        return newest == null
                ? BackupHoldings.versions(s3, backupBucket, CURRENT)
                : BackupHoldings.manifest(s3, backupBucket, newest);
    }

    private static void record(List<String> failures, String failure) {
        if (failures.size() < MAX_REPORTED_FAILURES) {
            failures.add(failure);
        }
    }
}
