package com.kfood.ops.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * An HTTP endpoint: expected status (a code or a class like {@code 2xx}), optional body substring.
 * Over {@link HttpURLConnection}, not java.net.http: the latter keeps a selector thread in native
 * code, which holds every exit of a short-lived JVM (the local runtime's) for 300 ms.
 */
public final class HttpCheck implements HealthCheck {
    /** Enough of a body to find the expected text in a health page; more is not read. */
    private static final int MAX_BODY = 64 * 1024;

    private final String name;
    private final URI url;
    private final String expectStatus;
    private final String expectBody;
    private final Duration timeout;

    public HttpCheck(String name, URI url, String expectStatus, String expectBody, Duration timeout) {
        this.name = name;
        this.url = url;
        this.expectStatus = expectStatus;
        this.expectBody = expectBody;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String target() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + url.getRawPath();
    }

    /** Opens the connection without connecting: SnapStart priming loads the HTTP classes with it. */
    static void prime() {
        try {
            URI.create("http://localhost/").toURL().openConnection();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String run() throws Exception {
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("User-Agent", "kfood-ops-health-check");
        int status;
        String body;
        try {
            status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            try (InputStream stream = in == null ? InputStream.nullInputStream() : in) {
                body = new String(stream.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
                stream.transferTo(OutputStream.nullOutputStream()); // read to the end: the connection is reused
            }
        } catch (SSLException e) {
            throw new IllegalStateException("TLS error: " + e.getMessage(), e);
        }
        if (!statusMatches(status)) {
            throw new IllegalStateException("HTTP " + status + ", expected " + expectStatus);
        }
        if (expectBody != null && !body.contains(expectBody)) {
            throw new IllegalStateException("HTTP " + status + " but the body does not contain the expected text");
        }
        return "HTTP " + status;
    }

    boolean statusMatches(int status) {
        if (expectStatus.endsWith("xx")) {
            return String.valueOf(status).charAt(0) == expectStatus.charAt(0);
        }
        return String.valueOf(status).equals(expectStatus);
    }
}
