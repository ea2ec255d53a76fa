package com.kfood.ops.care;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.postgresql.PGConnection;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A table's retention ({@code retain=N}): each partition whose whole range ended more than N
 * periods ago is, in this order, detached (CONCURRENTLY where the server allows it), exported
 * with {@code COPY ... TO STDOUT (FORMAT csv, HEADER true)} streamed through gzip into the backup
 * bucket, verified by reading the object back (lines and SHA-256 of the CSV against what was
 * written), described in a JSON beside it, and only then dropped. A step that fails leaves the
 * partition attached, or detached and kept, says which, and the next run resumes. The first run
 * after {@code retain} is set only lists (a marker in the bucket remembers it ran).
 */
final class PartitionRetention {
    /** What a table's retention did or, in a dry run, would do. */
    record Outcome(List<String> archived, List<String> wouldArchive) {
        static final Outcome NONE = new Outcome(List.of(), List.of());
    }

    private final ArchiveStore store;
    private final CareConfig config;

    PartitionRetention(ArchiveStore store, CareConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The bucket's memory that a table's retention ran once (its first run only lists). */
    record Marker(int retain, String firstRun) {}

    static String prefix(String database, PartitionSpec spec) {
        return "partitions/" + database + "/" + spec.qualified() + "/";
    }

    /**
     * {@link #run}, timed as a whole in {@code queryMs} (detach, export, read back, drop: the archive's
     * own time); a database or S3 error there is a finding, never the end of the care run.
     */
    Outcome runReported(
            Connection c,
            PartitionSpec spec,
            Catalog.Parent parent,
            Instant now,
            boolean dryRun,
            List<Finding> findings,
            Map<String, Long> queryMs) {
        try {
            return DatabaseCare.timed(
                    queryMs, "retain:" + spec.qualified(), () -> run(c, spec, parent, now, dryRun, findings));
        } catch (SQLException | SdkException e) {
            findings.add(new Finding(
                    "partitions", Finding.Level.ACT, spec.qualified() + ": retention not run: " + Errors.describe(e)));
            return Outcome.NONE;
        }
    }

    Outcome run(
            Connection c,
            PartitionSpec spec,
            Catalog.Parent parent,
            Instant now,
            boolean dryRun,
            List<Finding> findings)
            throws SQLException {
        if (spec.retain() == 0 || parent.partmanPremake().isPresent()) {
            return Outcome.NONE; // pg_partman's own retention is reported by the caller, never changed here
        }
        List<RetentionCatalog.Candidate> due = new ArrayList<>(RetentionCatalog.detached(c, spec));
        for (PartitionPlanner.Range r : PartitionPlanner.expired(spec, config.zone(), now, parent.partitions())) {
            RetentionCatalog.Candidate cand = RetentionCatalog.attached(c, spec, r.name());
            if (cand != null) {
                due.add(cand);
            }
        }
        String prefix = prefix(c.getCatalog(), spec);
        boolean firstRun = store.text(prefix + "retention.json").isEmpty();
        if (dryRun || firstRun) {
            if (firstRun && !dryRun) {
                store.putText(prefix + "retention.json", Json.write(new Marker(spec.retain(), now.toString())));
            }
            return new Outcome(
                    List.of(),
                    due.stream()
                            .map(p -> p.name() + " (~" + p.estimatedRows() + " rows, " + p.bytes() + " bytes"
                                    + (p.attached() ? "" : ", detached by an earlier run") + ")")
                            .toList());
        }
        List<String> archived = new ArrayList<>();
        boolean hasDefault = DefaultPartition.find(c, spec).isPresent();
        for (RetentionCatalog.Candidate p : due) {
            String done = archive(c, spec, parent, p, hasDefault, prefix, findings);
            if (done != null) {
                archived.add(done);
            }
        }
        return new Outcome(archived, List.of());
    }

    /** One partition through every step; null (and a finding saying where it stopped) when one fails. */
    private String archive(
            Connection c,
            PartitionSpec spec,
            Catalog.Parent parent,
            RetentionCatalog.Candidate p,
            boolean hasDefault,
            String prefix,
            List<Finding> findings) {
        String what = spec.qualified() + ": " + p.name() + ": ";
        if (p.attached()) {
            try {
                RetentionCatalog.detach(c, spec, parent, p, !hasDefault, config.lockTimeoutSeconds());
            } catch (SQLException e) {
                findings.add(new Finding(
                        "partitions",
                        Finding.Level.WATCH,
                        what + "not detached (" + Errors.describe(e) + "); still attached, tried again next run"));
                return null;
            }
        }
        String key = prefix + p.name() + ".csv.gz";
        try {
            Manifest manifest = export(c, spec, parent, p, key);
            store.tag(
                    key,
                    manifest.versionId(),
                    Map.of(
                            "rows", String.valueOf(manifest.rows()),
                            "lines", String.valueOf(manifest.lines()),
                            "sha256", manifest.sha256()));
            store.putText(prefix + p.name() + ".json", Json.write(manifest));
            RetentionCatalog.drop(c, spec, parent, p.name(), config.lockTimeoutSeconds());
            return p.name() + ": " + manifest.rows() + " rows, " + manifest.gzipBytes() + " bytes to "
                    + store.where(key);
        } catch (SQLException | IOException | SdkException | IllegalStateException e) {
            findings.add(new Finding(
                    "partitions",
                    Finding.Level.ACT,
                    what + "detached and kept, not dropped: " + Errors.describe(e)
                            + "; the next run archives it again"));
            return null;
        }
    }

    /** What one archive holds, as the JSON beside it says: enough to restore and check it without the database. */
    record Manifest(
            String table,
            String partition,
            String bounds,
            long rows,
            long lines,
            long csvBytes,
            long gzipBytes,
            String sha256,
            List<String> columns,
            String serverVersion,
            String key,
            String versionId) {
        /** The manifest as the JSON beside an archive holds it; a field missing is a damaged manifest. */
        static Manifest of(JsonNode n) {
            for (String field : List.of("partition", "bounds", "rows", "sha256", "key")) {
                if (!n.hasNonNull(field)) {
                    throw new IllegalStateException("the archive's manifest has no " + field);
                }
            }
            List<String> columns = new ArrayList<>();
            n.path("columns").forEach(col -> columns.add(col.asText()));
            return new Manifest(
                    n.path("table").asText(),
                    n.path("partition").asText(),
                    n.path("bounds").asText(),
                    n.path("rows").asLong(),
                    n.path("lines").asLong(),
                    n.path("csvBytes").asLong(),
                    n.path("gzipBytes").asLong(),
                    n.path("sha256").asText(),
                    List.copyOf(columns),
                    n.path("serverVersion").asText(),
                    n.path("key").asText(),
                    n.path("versionId").asText(null));
        }
    }

    /** COPY streamed through gzip into the upload, then read back and compared; the manifest on success. */
    private Manifest export(
            Connection c, PartitionSpec spec, Catalog.Parent parent, RetentionCatalog.Candidate p, String key)
            throws SQLException, IOException {
        List<String> columns = RetentionCatalog.columns(c, spec, p.name());
        String version = c.getMetaData().getDatabaseProductVersion();
        ArchiveStore.Upload upload = store.upload(
                key,
                Map.of(
                        "table",
                        spec.qualified(),
                        "partition",
                        p.name(),
                        "bounds",
                        p.bounds(),
                        "server-version",
                        version));
        ArchiveDigest written = new ArchiveDigest();
        ArchiveDigest.Counter gzipped = new ArchiveDigest.Counter(upload.stream());
        long rows;
        try (OutputStream gzip = new GZIPOutputStream(gzipped, 64 * 1024);
                OutputStream csv = written.counting(gzip)) {
            rows = copyOut(c, spec, parent, p.name(), csv);
        } catch (SQLException | IOException | RuntimeException e) {
            upload.abort();
            throw e;
        }
        String versionId = upload.complete();
        ArchiveDigest.Facts wrote = written.facts();
        verify(key, wrote);
        return new Manifest(
                spec.qualified(),
                p.name(),
                p.bounds(),
                rows,
                wrote.lines(),
                wrote.bytes(),
                gzipped.count(),
                wrote.sha256(),
                columns,
                version,
                key,
                versionId);
    }

    /** {@code COPY ... TO STDOUT} as the owner, into {@code csv}; returns the rows COPY counted. */
    private long copyOut(Connection c, PartitionSpec spec, Catalog.Parent parent, String name, OutputStream csv)
            throws SQLException, IOException {
        long[] rows = new long[1];
        try {
            RetentionCatalog.asOwner(c, parent, config.lockTimeoutSeconds(), st -> {
                try {
                    rows[0] = c.unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyOut(
                                    "COPY " + Catalog.qualified(spec.schema(), name)
                                            + " TO STDOUT (FORMAT csv, HEADER true)",
                                    csv);
                } catch (IOException e) {
                    throw new UncheckedIOException(e); // the upload's side failed: unwrapped below
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return rows[0];
    }

    /** The object read back from S3: its CSV's lines and SHA-256 must be what was written. */
    private void verify(String key, ArchiveDigest.Facts wrote) throws IOException {
        ArchiveDigest.Facts read;
        try (InputStream in = new GZIPInputStream(store.read(key), 64 * 1024)) {
            read = new ArchiveDigest().readAll(in);
        }
        if (read.lines() != wrote.lines() || !read.sha256().equals(wrote.sha256())) {
            throw new IllegalStateException("the archive read back does not match what was written (" + read.lines()
                    + " lines, sha256 " + read.sha256().substring(0, 12) + " against " + wrote.lines() + " lines, "
                    + wrote.sha256().substring(0, 12) + ")");
        }
    }
}
