package com.kfood.ops.snapshot;

import java.util.Iterator;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * What the backup holds now, in S3's key order, one entry at a time: the newest manifest's entries
 * read as they stream in, or, with no manifest yet, the current versions as ListObjectVersions
 * returns them (a key whose newest version is a delete marker is not held). Either way nothing holds
 * an entry per object.
 */
final class BackupHoldings implements AutoCloseable {
    private final Iterator<Manifest.Entry> entries;
    private final AutoCloseable resource;
    private final String source;
    private Manifest.Entry next;
    private long read;

    private BackupHoldings(Iterator<Manifest.Entry> entries, AutoCloseable resource, String source) {
        this.entries = entries;
        this.resource = resource;
        this.source = source;
        this.next = entries.hasNext() ? entries.next() : null;
    }

    /** The manifest's entries as they are read (IllegalArgumentException where one is not an entry). */
    static BackupHoldings manifest(S3Client s3, String bucket, String key) {
        ResponseInputStream<GetObjectResponse> body =
                s3.getObject(b -> b.bucket(bucket).key(key));
        try {
            Manifest.Reader reader = new Manifest.Reader(body);
            return new BackupHoldings(reader, body::abort, "the manifest " + key);
        } catch (IllegalArgumentException e) {
            body.abort();
            throw e;
        }
    }

    /** The current versions under {@code destination}, relative to it. */
    static BackupHoldings versions(S3Client s3, String bucket, String destination) {
        Iterator<Manifest.Entry> latest =
                s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(destination)).stream()
                        .flatMap(page -> page.versions().stream())
                        .filter(v -> Boolean.TRUE.equals(v.isLatest()))
                        .map(v -> new Manifest.Entry(
                                v.key().substring(destination.length()), v.versionId(), v.size(), v.eTag()))
                        .iterator();
        return new BackupHoldings(latest, () -> {}, "a listing of " + destination + "'s versions");
    }

    /** The next entry without taking it; null at the end. */
    Manifest.Entry peek() {
        return next;
    }

    Manifest.Entry take() {
        Manifest.Entry e = next;
        next = entries.hasNext() ? entries.next() : null;
        read++;
        return e;
    }

    /** Where the holdings were read from, for the log. */
    String source() {
        return source;
    }

    long read() {
        return read;
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (Exception e) {
            // the stream is abandoned either way
        }
    }
}
