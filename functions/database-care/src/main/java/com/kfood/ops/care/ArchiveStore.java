package com.kfood.ops.care;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;

/** Where detached partitions are archived (the backup bucket): the seam the archive's tests fake. */
interface ArchiveStore {
    /** A stream being uploaded: written to, then completed (or aborted, leaving nothing behind). */
    interface Upload {
        OutputStream stream();

        /** Waits for the last part; returns the version S3 gave the object. */
        String complete() throws IOException;

        void abort();
    }

    /** Starts a streaming upload of unknown length to {@code key} with the given user metadata. */
    Upload upload(String key, Map<String, String> metadata);

    /** The object as S3 holds it (the caller closes the stream). */
    InputStream read(String key) throws IOException;

    /**
     * Tags on the object's version: what became known only once it was written (its lines and
     * SHA-256), as a multipart upload's metadata is fixed when it starts.
     */
    void tag(String key, String versionId, Map<String, String> tags);

    /** A small JSON document beside the archive. */
    void putText(String key, String text);

    /** A small document, if there is one. */
    Optional<String> text(String key);

    /** Where {@code key} is, for people: s3://bucket/key. */
    String where(String key);
}
