package com.kfood.ops.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A day's view of the uploads: one JSON line per object (key, backup version, size, ETag),
 * gzip-compressed, in S3's key order ({@link KeyOrder}). Read and written as streams, one entry at a
 * time: a million objects never sit in memory at once.
 */
final class Manifest {
    private Manifest() {}

    /** One object as it was that day, and the backup version that holds its bytes. */
    record Entry(String key, String versionId, long size, String etag) {}

    /** A manifest written as it is produced; {@link #add} refuses an entry out of S3's order. */
    static final class Writer implements Closeable {
        private final java.io.Writer out;
        private String last;
        private long count;

        Writer(OutputStream target) {
            try {
                this.out = new BufferedWriter(
                        new OutputStreamWriter(new GZIPOutputStream(target, 64 * 1024), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void add(Entry e) {
            if (last != null && KeyOrder.compare(last, e.key()) >= 0) {
                throw new IllegalStateException("manifest entries out of order: " + e.key() + " after " + last);
            }
            try {
                out.write(Json.write(e));
                out.write('\n');
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            last = e.key();
            count++;
        }

        long count() {
            return count;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /**
     * The entries of a manifest as they are read; a line that is not an entry, or one out of order,
     * is refused (IllegalArgumentException), not skipped: a restore must be whole.
     */
    static final class Reader implements Iterator<Entry>, Closeable {
        private final BufferedReader in;
        private Entry next;
        private String last;
        private long line;

        Reader(InputStream gzipped) {
            try {
                this.in = new BufferedReader(
                        new InputStreamReader(new GZIPInputStream(gzipped, 64 * 1024), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException("the manifest is not a gzip of JSON lines: " + e.getMessage(), e);
            }
            advance();
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            advance();
            return e;
        }

        /** The next entry without taking it; null at the end. */
        Entry peek() {
            return next;
        }

        private void advance() {
            String text;
            try {
                text = in.readLine();
            } catch (IOException e) {
                throw new IllegalArgumentException("the manifest is not a gzip of JSON lines: " + e.getMessage(), e);
            }
            line++;
            next = text == null ? null : entry(text, line);
            if (next != null && last != null && KeyOrder.compare(last, next.key()) >= 0) {
                throw new IllegalArgumentException("the manifest's line " + line + " is out of key order");
            }
            last = next == null ? last : next.key();
        }

        private static Entry entry(String text, long line) {
            JsonNode n = Json.parseEmbedded(text);
            if (n == null || !n.path("key").isTextual() || !n.path("size").isNumber()) {
                throw new IllegalArgumentException("the manifest's line " + line + " is not an entry");
            }
            return new Entry(
                    n.path("key").asText(),
                    n.path("versionId").isTextual() ? n.path("versionId").asText() : null,
                    n.path("size").asLong(),
                    n.path("etag").asText());
        }

        /** Closes the stream; a manifest read to its end has nothing left to fail on. */
        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // nothing was lost: the entries were read or the read failed already
            }
        }
    }

    /** A whole manifest in memory: for tests and small tools only. */
    static byte[] write(Collection<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer out = new Writer(bytes)) {
            entries.stream()
                    .sorted(Comparator.comparing(Entry::key, KeyOrder.S3))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A whole manifest's entries in memory: for tests and small tools only. */
    static List<Entry> read(byte[] gzipped) {
        List<Entry> entries = new ArrayList<>();
        try (Reader in = new Reader(new ByteArrayInputStream(gzipped))) {
            in.forEachRemaining(entries::add);
        }
        return entries;
    }
}
