package com.kfood.ops.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** A day's view of the uploads: one JSON line per object (key, backup version, size, ETag), gzip-compressed. */
final class Manifest {
    private Manifest() {}

    /** One object as it was that day, and the backup version that holds its bytes. */
    record Entry(String key, String versionId, long size, String etag) {}

    static byte[] write(Collection<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
            for (Entry e :
                    entries.stream().sorted(Comparator.comparing(Entry::key)).toList()) {
                out.write(Json.write(e));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The entries of a manifest; a line that is not an entry is refused, not skipped: a restore must be whole. */
    static List<Entry> read(byte[] gzipped) {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(new ByteArrayInputStream(gzipped)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode n = Json.parseEmbedded(line);
                if (n == null || !n.path("key").isTextual() || !n.path("size").isNumber()) {
                    throw new IllegalArgumentException("the manifest has a line that is not an entry");
                }
                entries.add(new Entry(
                        n.path("key").asText(),
                        n.path("versionId").isTextual() ? n.path("versionId").asText() : null,
                        n.path("size").asLong(),
                        n.path("etag").asText()));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the manifest is not a gzip of JSON lines: " + e.getMessage(), e);
        }
        return entries;
    }
}
