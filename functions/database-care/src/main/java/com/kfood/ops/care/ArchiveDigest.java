package com.kfood.ops.care;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an archive's CSV was: its bytes, lines and SHA-256, counted as it is written (before gzip)
 * and again as it is read back (after gunzip). Equal on both sides, the archive holds what the
 * table held.
 */
final class ArchiveDigest {
    private final MessageDigest sha = sha256();
    private long bytes;
    private long lines;

    /** Counts the bytes that pass (the gzip's, as uploaded). */
    static final class Counter extends FilterOutputStream {
        private long count;

        Counter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            count++;
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count += len;
            out.write(b, off, len);
        }

        long count() {
            return count;
        }
    }

    /** Counted facts: {@code lines} is newlines, which a quoted value may hold, so rows are counted by COPY. */
    record Facts(long bytes, long lines, String sha256) {}

    /** A stream that counts what passes to {@code out}. */
    OutputStream counting(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                add(new byte[] {(byte) b}, 0, 1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                add(b, off, len);
                out.write(b, off, len);
            }
        };
    }

    /** A stream that counts what is read from {@code in}. */
    InputStream counting(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    add(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    add(b, off, n);
                }
                return n;
            }
        };
    }

    /** Reads {@code in} to its end, counting it. */
    Facts readAll(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
            add(buf, 0, n);
        }
        return facts();
    }

    Facts facts() {
        return new Facts(bytes, lines, HexFormat.of().formatHex(((MessageDigest) cloneOf(sha)).digest()));
    }

    private void add(byte[] b, int off, int len) {
        sha.update(b, off, len);
        bytes += len;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                lines++;
            }
        }
    }

    private static Object cloneOf(MessageDigest d) {
        try {
            return d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 cannot be cloned here", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
