package com.kfood.ops.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An S3 endpoint on 127.0.0.1 for the uploads backup at scale: a source bucket of N objects
 * generated on the fly ({@code media/0000000.mp4}...; size and ETag from the index and the day's
 * generation, a share of them changed on the second day), and a backup bucket that keeps the
 * manifests (whole, multipart or not) and which source generation each copy holds (one byte an
 * object), never the objects' bytes. Every request is counted by operation; one it does not know
 * is answered 501 and counted as {@code Unexpected}.
 */
final class SyntheticS3 implements AutoCloseable {
    static final String SOURCE = "scale-src";
    static final String BACKUP = "scale-backup";
    private static final String XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final int PAGE = 1000;

    private final int objects;
    private final byte[] copied; // 0: none; else the generation copied
    private final Map<String, byte[]> stored = new ConcurrentSkipListMap<>();
    private final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final HttpServer server;
    private volatile int day = 1;
    private volatile int changedEvery = Integer.MAX_VALUE;

    SyntheticS3(int objects) throws IOException {
        this.objects = objects;
        this.copied = new byte[objects];
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The second day: every {@code 100 / percent}-th object changed (a new generation). */
    void nextDay(int changedPercent) {
        day = 2;
        changedEvery = changedPercent <= 0 ? Integer.MAX_VALUE : Math.max(1, 100 / changedPercent);
    }

    int changed() {
        return changedEvery == Integer.MAX_VALUE ? 0 : (objects + changedEvery - 1) / changedEvery;
    }

    /** Requests so far by operation, then cleared. */
    Map<String, Long> takeCalls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.getAndSet(0)));
        out.values().removeIf(v -> v == 0);
        return out;
    }

    private int generation(int i) {
        return day == 2 && i % changedEvery == 0 ? 2 : 1;
    }

    private static String key(int i) {
        return String.format("media/%07d.mp4", i);
    }

    private static long size(int i) {
        return 1_048_576L + i % 4096;
    }

    private static String etag(int i, int generation) {
        return "\"" + String.format("%016x%016x", (long) i * 2_654_435_761L, generation * 40_503L + i) + "\"";
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getRawPath();
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            String[] parts = path.substring(1).split("/", 2);
            String bucket = parts[0];
            String objectKey = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
            byte[] body = body(x);
            String method = x.getRequestMethod();
            if (method.equals("GET") && objectKey.isEmpty() && q.containsKey("versions")) {
                count("ListObjectVersions");
                reply(x, 200, versions(q));
            } else if (method.equals("GET") && objectKey.isEmpty()) {
                count("ListObjectsV2");
                reply(x, 200, bucket.equals(SOURCE) ? listSource(q) : listStored(q));
            } else if (method.equals("GET") && stored.containsKey(objectKey)) {
                count("GetObject");
                x.getResponseHeaders().add("ETag", md5(stored.get(objectKey)));
                reply(x, 200, stored.get(objectKey));
            } else if (method.equals("PUT") && x.getRequestHeaders().containsKey("x-amz-copy-source")) {
                count("CopyObject");
                copy(x, objectKey);
            } else if (method.equals("POST") && q.containsKey("uploads")) {
                count("CreateMultipartUpload");
                String id = "upload-" + uploads.size() + "-" + System.nanoTime();
                uploads.put(id, new ConcurrentSkipListMap<>());
                reply(
                        x,
                        200,
                        xml(
                                "InitiateMultipartUploadResult",
                                "<Bucket>" + bucket + "</Bucket><Key>" + objectKey + "</Key><UploadId>" + id
                                        + "</UploadId>"));
            } else if (method.equals("PUT") && q.containsKey("uploadId")) {
                count("UploadPart");
                uploads.get(q.get("uploadId")).put(Integer.parseInt(q.get("partNumber")), body);
                x.getResponseHeaders().add("ETag", md5(body));
                reply(x, 200, new byte[0]);
            } else if (method.equals("POST") && q.containsKey("uploadId")) {
                count("CompleteMultipartUpload");
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                for (byte[] p : uploads.remove(q.get("uploadId")).values()) {
                    whole.write(p);
                }
                stored.put(objectKey, whole.toByteArray());
                reply(
                        x,
                        200,
                        xml(
                                "CompleteMultipartUploadResult",
                                "<Key>" + objectKey + "</Key><ETag>&quot;x-1&quot;</ETag>"));
            } else if (method.equals("DELETE") && q.containsKey("uploadId")) {
                count("AbortMultipartUpload");
                uploads.remove(q.get("uploadId"));
                reply(x, 204, new byte[0]);
            } else if (method.equals("PUT")) {
                count("PutObject");
                stored.put(objectKey, body);
                x.getResponseHeaders().add("ETag", md5(body));
                reply(x, 200, new byte[0]);
            } else if (method.equals("HEAD")) {
                count("HeadObject");
                head(x, objectKey);
            } else if (method.equals("DELETE")) {
                count("DeleteObject");
                int i = index(objectKey.substring("uploads/current/".length()));
                if (i >= 0) {
                    copied[i] = 0;
                }
                reply(x, 204, new byte[0]);
            } else {
                count("Unexpected " + method + " " + bucket + (objectKey.isEmpty() ? "" : "/...") + " " + q.keySet());
                reply(x, 501, xml("Error", "<Code>NotImplemented</Code>"));
            }
        }
    }

    private void copy(HttpExchange x, String objectKey) throws IOException {
        String from = URLDecoder.decode(x.getRequestHeaders().getFirst("x-amz-copy-source"), StandardCharsets.UTF_8);
        int i = index(
                from.substring(from.indexOf('/', 1) + 1).replaceFirst("^/", "").replace(SOURCE + "/", ""));
        if (i < 0 || !objectKey.startsWith("uploads/current/")) {
            reply(x, 404, xml("Error", "<Code>NoSuchKey</Code>"));
            return;
        }
        int g = generation(i);
        copied[i] = (byte) g;
        x.getResponseHeaders().add("x-amz-version-id", "v" + g + "-" + i);
        reply(
                x,
                200,
                xml(
                        "CopyObjectResult",
                        "<LastModified>2026-11-26T00:00:00.000Z</LastModified><ETag>" + esc(etag(i, g)) + "</ETag>"));
    }

    private void head(HttpExchange x, String objectKey) throws IOException {
        int i = objectKey.startsWith("uploads/current/") ? index(objectKey.substring("uploads/current/".length())) : -1;
        if (i < 0 || copied[i] == 0) {
            x.sendResponseHeaders(404, -1);
            return;
        }
        x.getResponseHeaders().add("ETag", etag(i, copied[i]));
        x.getResponseHeaders().add("Content-Length", Long.toString(size(i)));
        x.sendResponseHeaders(200, -1);
    }

    private static int index(String key) {
        if (!key.matches("media/\\d{7}\\.mp4")) {
            return -1;
        }
        return Integer.parseInt(key.substring(6, 13));
    }

    private byte[] listSource(Map<String, String> q) {
        int from = q.containsKey("continuation-token") ? Integer.parseInt(q.get("continuation-token")) : 0;
        int to = Math.min(objects, from + PAGE);
        StringBuilder s = new StringBuilder(to > from ? (to - from) * 200 : 64)
                .append("<Name>")
                .append(SOURCE)
                .append("</Name><Prefix></Prefix><KeyCount>")
                .append(to - from)
                .append("</KeyCount><MaxKeys>")
                .append(PAGE)
                .append("</MaxKeys><IsTruncated>")
                .append(to < objects)
                .append("</IsTruncated>");
        if (to < objects) {
            s.append("<NextContinuationToken>").append(to).append("</NextContinuationToken>");
        }
        for (int i = from; i < to; i++) {
            s.append("<Contents><Key>")
                    .append(key(i))
                    .append("</Key><LastModified>2026-11-25T00:00:00.000Z")
                    .append("</LastModified><ETag>")
                    .append(esc(etag(i, generation(i))))
                    .append("</ETag><Size>")
                    .append(size(i))
                    .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        return xml("ListBucketResult", s.toString());
    }

    private byte[] listStored(Map<String, String> q) {
        String prefix = q.getOrDefault("prefix", "");
        StringBuilder s = new StringBuilder("<Name>" + BACKUP + "</Name><Prefix>" + prefix + "</Prefix>");
        int n = 0;
        for (var e : stored.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                n++;
                s.append("<Contents><Key>")
                        .append(e.getKey())
                        .append("</Key><LastModified>2026-11-25T00:00:00.000Z")
                        .append("</LastModified><ETag>")
                        .append(esc(md5(e.getValue())))
                        .append("</ETag><Size>")
                        .append(e.getValue().length)
                        .append("</Size></Contents>");
            }
        }
        s.append("<KeyCount>").append(n).append("</KeyCount><IsTruncated>false</IsTruncated>");
        return xml("ListBucketResult", s.toString());
    }

    /** The backup's current versions (ListObjectVersions), a page from the key marker on. */
    private byte[] versions(Map<String, String> q) {
        String marker = q.getOrDefault("key-marker", "");
        int from = marker.isEmpty() ? 0 : index(marker.substring("uploads/current/".length())) + 1;
        StringBuilder s = new StringBuilder("<Name>" + BACKUP + "</Name><Prefix>uploads/current/</Prefix>");
        int n = 0;
        int i = from;
        for (; i < objects && n < PAGE; i++) {
            if (copied[i] != 0) {
                n++;
                s.append("<Version><Key>uploads/current/")
                        .append(key(i))
                        .append("</Key><VersionId>v")
                        .append(copied[i])
                        .append('-')
                        .append(i)
                        .append("</VersionId><IsLatest>true</IsLatest>")
                        .append("<LastModified>2026-11-25T00:00:00.000Z</LastModified><ETag>")
                        .append(esc(etag(i, copied[i])))
                        .append("</ETag><Size>")
                        .append(size(i))
                        .append("</Size></Version>");
            }
        }
        boolean more = i < objects;
        s.append("<IsTruncated>").append(more).append("</IsTruncated>");
        if (more) {
            s.append("<NextKeyMarker>uploads/current/").append(key(i - 1)).append("</NextKeyMarker>");
        }
        return xml("ListVersionsResult", s.toString());
    }

    private static byte[] xml(String root, String inner) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + root + " xmlns=\"" + XMLNS + "\">" + inner + "</" + root
                        + ">")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return s.replace("\"", "&quot;");
    }

    private void count(String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    private static void reply(HttpExchange x, int status, byte[] body) throws IOException {
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The request's body, aws-chunked framing removed where the SDK used it. */
    private static byte[] body(HttpExchange x) throws IOException {
        byte[] raw;
        try (InputStream in = x.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String encoding = String.valueOf(x.getRequestHeaders().getFirst("Content-Encoding"));
        String sha = String.valueOf(x.getRequestHeaders().getFirst("x-amz-content-sha256"));
        return encoding.contains("aws-chunked") || sha.startsWith("STREAMING-") ? dechunk(raw) : raw;
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        int p = 0;
        while (p < raw.length) {
            int eol = p;
            while (eol + 1 < raw.length && !(raw[eol] == '\r' && raw[eol + 1] == '\n')) {
                eol++;
            }
            String header = new String(raw, p, eol - p, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(raw, eol + 2, size);
            p = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String md5(byte[] bytes) {
        try {
            return "\""
                    + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> manifests() {
        return stored.keySet().stream().toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
