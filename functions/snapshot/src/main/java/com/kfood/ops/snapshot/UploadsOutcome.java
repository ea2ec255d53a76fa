package com.kfood.ops.snapshot;

import java.util.List;

/**
 * The uploads copy: {@code resumeFrom} is the first key not copied when the run stopped before the deadline; a re-run
 * continues (what was copied is skipped).
 */
public record UploadsOutcome(
        Status status,
        String source,
        String destination,
        int copied,
        int alreadyCopied,
        int failed,
        long bytesCopied,
        String resumeFrom,
        List<String> failures) {

    public enum Status {
        COMPLETE,
        WOULD_COPY,
        INCOMPLETE,
        FAILED,
        NOT_CONFIGURED
    }

    static UploadsOutcome notConfigured() {
        return new UploadsOutcome(Status.NOT_CONFIGURED, null, null, 0, 0, 0, 0, null, List.of());
    }
}
