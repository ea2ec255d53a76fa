package com.kfood.ops.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** An HTTP endpoint: expected status (a code or a class like {@code 2xx}), optional body substring. */
public final class HttpCheck implements HealthCheck {
    private final String name;
    private final URI url;
    private final String expectStatus;
    private final String expectBody;
    private final Duration timeout;
    private final HttpClient http;

    public HttpCheck(String name, URI url, String expectStatus, String expectBody, Duration timeout, HttpClient http) {
        this.name = name;
        this.url = url;
        this.expectStatus = expectStatus;
        this.expectBody = expectBody;
        this.timeout = timeout;
        this.http = http;
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

    @Override
    public String run() throws Exception {
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(timeout)
                            .header("User-Agent", "kfood-ops-health-check")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (SSLException e) {
            throw new IllegalStateException("TLS error: " + e.getMessage(), e);
        }
        if (!statusMatches(response.statusCode())) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ", expected " + expectStatus);
        }
        if (expectBody != null && !response.body().contains(expectBody)) {
            throw new IllegalStateException(
                    "HTTP " + response.statusCode() + " but the body does not contain the expected text");
        }
        return "HTTP " + response.statusCode();
    }

    boolean statusMatches(int status) {
        if (expectStatus.endsWith("xx")) {
            return String.valueOf(status).charAt(0) == expectStatus.charAt(0);
        }
        return String.valueOf(status).equals(expectStatus);
    }
}
