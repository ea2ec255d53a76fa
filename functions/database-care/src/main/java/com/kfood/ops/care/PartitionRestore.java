package com.kfood.ops.care;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;

/**
 * An archived partition back in the database: {@code CREATE TABLE <into> (LIKE <parent> INCLUDING
 * DEFAULTS INCLUDING CONSTRAINTS)}, {@code COPY ... FROM STDIN} streamed from the archive through
 * gunzip, the rows COPY counted and the CSV's SHA-256 compared with the manifest, and, on
 * request, {@code ATTACH PARTITION} with the bounds the manifest recorded. One transaction as the
 * parent's owner: a mismatch or any error leaves nothing behind.
 */
final class PartitionRestore {
    /** {@code {"action": "restore-partition", "table": "...", "partition": "...", "into": "...", "attach": false}}. */
    record Request(PartitionSpec spec, String partition, String into, boolean attach) {}

    /** What was restored, and how it was checked. */
    record Restored(
            String table, String partition, String into, long rows, String sha256, boolean attached, String from) {}

    private PartitionRestore() {}

    static boolean asked(JsonNode event) {
        return "restore-partition".equals(Json.text(event, "action"));
    }

    static Request parse(JsonNode event, List<PartitionSpec> tables) {
        String table = Json.text(event, "table");
        PartitionSpec spec = tables.stream()
                .filter(t -> t.qualified().equals(table) || t.table().equals(table))
                .findFirst()
                .orElseThrow(() -> new InvalidEventException("restore-partition: table '"
                        + Text.printable(String.valueOf(table), 80) + "' is not one of PARTITIONED_TABLES"));
        String partition = name(Json.text(event, "partition"), "partition");
        String into = Json.text(event, "into") == null ? partition : name(Json.text(event, "into"), "into");
        JsonNode attach = event.get("attach");
        if (attach != null && !attach.isBoolean()) {
            throw new InvalidEventException("restore-partition: attach must be true or false");
        }
        return new Request(spec, partition, into, attach != null && attach.asBoolean());
    }

    /** A table name as PostgreSQL takes one (quoted where used): printable, 1 to 63 bytes. */
    private static String name(String value, String field) {
        if (value == null
                || value.isBlank()
                || value.getBytes(StandardCharsets.UTF_8).length > PartitionPlanner.MAX_NAME_BYTES
                || !Text.printable(value, 64).equals(value)) {
            throw new InvalidEventException(
                    "restore-partition: " + field + " must be a table name of 1 to 63 bytes, got '"
                            + Text.printable(String.valueOf(value), 80) + "'");
        }
        return value;
    }

    /** The request run against the table as the catalog describes it now. */
    static Restored restore(Connection c, ArchiveStore store, ZoneId zone, Request r) throws SQLException {
        Catalog.useZone(c, zone.getId());
        Catalog.Parent parent = Catalog.parent(c, r.spec(), Catalog.partmanSchema(c));
        try {
            return run(c, store, parent, r);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "restore-partition: the archive could not be read: " + Errors.describe(e), e);
        }
    }

    static Restored run(Connection c, ArchiveStore store, Catalog.Parent parent, Request r)
            throws SQLException, IOException {
        String prefix = PartitionRetention.prefix(c.getCatalog(), r.spec());
        PartitionRetention.Manifest m =
                PartitionRetention.Manifest.of(Json.parseEmbedded(store.text(prefix + r.partition() + ".json")
                        .orElseThrow(() -> new InvalidEventException("restore-partition: no archive of " + r.partition()
                                + " under " + store.where(prefix)))));
        String into = Catalog.qualified(r.spec().schema(), r.into());
        String table = Catalog.qualified(r.spec().schema(), r.spec().table());
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL ROLE " + Catalog.ident(parent.owner()));
            st.execute("CREATE TABLE " + into + " (LIKE " + table + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            ArchiveDigest read = new ArchiveDigest();
            long rows;
            try (InputStream csv = read.counting(new GZIPInputStream(store.read(m.key()), 64 * 1024))) {
                rows = c.unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn("COPY " + into + " FROM STDIN (FORMAT csv, HEADER true)", csv);
            }
            String sha = read.facts().sha256();
            if (rows != m.rows() || !sha.equals(m.sha256())) {
                throw new IllegalStateException(
                        "the archive of " + r.partition() + " restored " + rows + " rows, sha256 "
                                + sha.substring(0, 12) + ", where its manifest says " + m.rows() + " rows, "
                                + m.sha256().substring(0, 12)
                                + ": nothing kept");
            }
            if (r.attach()) {
                st.execute("ALTER TABLE " + table + " ATTACH PARTITION " + into + " " + m.bounds());
            }
            c.commit();
            return new Restored(
                    r.spec().qualified(), r.partition(), r.into(), rows, sha, r.attach(), store.where(m.key()));
        } catch (SQLException | IOException | RuntimeException e) {
            Catalog.rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
