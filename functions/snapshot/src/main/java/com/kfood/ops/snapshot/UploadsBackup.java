package com.kfood.ops.snapshot;

import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.OpsLog;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Server-side copy of the uploads to {@code BACKUP_BUCKET/uploads/YYYYMMDD/}: nothing passes through
 * the function. Objects already there with the same size and ETag are skipped, which is also how a
 * run that stopped at the deadline is resumed: run it again.
 */
public final class UploadsBackup {
    /** CopyObject copies at most 5 GiB in one call. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final int MAX_REPORTED_FAILURES = 20;

    private record Copied(long size, String etag) {}

    private final S3Client s3;
    private final String sourceBucket;
    private final String sourcePrefix;
    private final String backupBucket;
    private final Duration margin;
    private final OpsLog log;
    /** Built once: warm invocations reuse the copy threads (daemons: an idle pool never holds the runtime). */
    private final ExecutorService pool;

    public UploadsBackup(
            S3Client s3,
            String sourceBucket,
            String sourcePrefix,
            String backupBucket,
            int concurrency,
            Duration margin,
            OpsLog log) {
        this.s3 = s3;
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
            () -> s3.listObjectsV2(b -> b.bucket(backupBucket).prefix("uploads/")),
            () -> s3.copyObject(b -> b.sourceBucket(sourceBucket)
                    .sourceKey("priming")
                    .destinationBucket(backupBucket)
                    .destinationKey("priming")),
        };
    }

    public static String destinationPrefix(Instant day) {
        return "uploads/" + DAY.format(day) + "/";
    }

    public UploadsOutcome run(Instant scheduledFor, boolean dryRun, Deadline deadline) {
        String destination = destinationPrefix(scheduledFor);
        String source = "s3://" + sourceBucket + "/" + sourcePrefix;
        String target = "s3://" + backupBucket + "/" + destination;
        Map<String, Copied> present;
        try {
            present = listDestination(destination);
        } catch (SdkException e) {
            return new UploadsOutcome(
                    UploadsOutcome.Status.FAILED,
                    source,
                    target,
                    0,
                    0,
                    0,
                    0,
                    null,
                    List.of("cannot list " + target + ": " + Errors.describe(e)));
        }
        AtomicInteger copied = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        int alreadyCopied = 0;
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        TreeSet<String> notDone = new TreeSet<>();
        List<Future<?>> inFlight = new ArrayList<>();
        boolean listingComplete = false;
        try {
            var pages = s3.listObjectsV2Paginator(b -> b.bucket(sourceBucket).prefix(sourcePrefix));
            for (var page : pages) {
                for (S3Object object : page.contents()) {
                    String relative = object.key().substring(sourcePrefix.length());
                    if (object.key().endsWith("/")) {
                        continue; // folder marker
                    }
                    Copied there = present.get(relative);
                    if (there != null
                            && there.size() == object.size()
                            && there.etag().equals(object.eTag())) {
                        alreadyCopied++;
                        continue;
                    }
                    if (object.size() > MAX_SINGLE_COPY) {
                        failed.incrementAndGet();
                        record(failures, object.key() + ": larger than 5 GiB, needs a multipart copy (not done)");
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
                    inFlight.add(pool.submit(() ->
                            copy(object, destination + relative, deadline, copied, failed, bytes, failures, notDone)));
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
                bytes.get());
        return new UploadsOutcome(
                status,
                source,
                target,
                copied.get(),
                alreadyCopied,
                failed.get(),
                bytes.get(),
                resumeFrom,
                List.copyOf(failures));
    }

    private void copy(
            S3Object object,
            String destinationKey,
            Deadline deadline,
            AtomicInteger copied,
            AtomicInteger failed,
            AtomicLong bytes,
            List<String> failures,
            TreeSet<String> notDone) {
        if (deadline.isNear(margin)) {
            return; // left for the next run, reported by resumeFrom
        }
        try {
            s3.copyObject(b -> b.sourceBucket(sourceBucket)
                    .sourceKey(object.key())
                    .destinationBucket(backupBucket)
                    .destinationKey(destinationKey)
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMinutes(5))));
            copied.incrementAndGet();
            bytes.addAndGet(object.size());
        } catch (SdkException e) {
            failed.incrementAndGet();
            record(failures, object.key() + ": " + Errors.describe(e));
        }
        synchronized (notDone) {
            notDone.remove(object.key());
        }
    }

    private Map<String, Copied> listDestination(String destination) {
        Map<String, Copied> present = new HashMap<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(backupBucket).prefix(destination))) {
            for (S3Object o : page.contents()) {
                present.put(o.key().substring(destination.length()), new Copied(o.size(), o.eTag()));
            }
        }
        return present;
    }

    private static void record(List<String> failures, String failure) {
        if (failures.size() < MAX_REPORTED_FAILURES) {
            failures.add(failure);
        }
    }
}
