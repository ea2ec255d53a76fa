package com.kfood.ops.snapshot;

import java.util.List;

/**
 * The uploads backup: {@code copied} new or changed objects, {@code removed} objects the source no
 * longer has (a delete marker; their versions stay); {@code manifest} is the day's manifest, written
 * once every object was tried (one that failed is missing from it, and said in {@code failures}). {@code resumeFrom} is the first key not copied when the run
 * stopped before the deadline; a re-run continues (what was copied is skipped).
 */
public record UploadsOutcome(
        Status status,
        String source,
        String destination,
        int copied,
        int alreadyCopied,
        int failed,
        long bytesCopied,
        int removed,
        String resumeFrom,
        String manifest,
        List<String> failures) {

    public enum Status {
        COMPLETE,
        WOULD_COPY,
        INCOMPLETE,
        FAILED,
        NOT_CONFIGURED
    }

    static UploadsOutcome failed(String source, String destination, String failure) {
        return new UploadsOutcome(Status.FAILED, source, destination, 0, 0, 0, 0, 0, null, null, List.of(failure));
    }

    static UploadsOutcome notConfigured() {
        return new UploadsOutcome(Status.NOT_CONFIGURED, null, null, 0, 0, 0, 0, 0, null, null, List.of());
    }
}
