package com.kfood.ops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What CloudWatch Logs does with a Lambda function's Embedded Metric Format lines, done for the
 * emulator: the metrics each EMF document declares are put into CloudWatch with the document's
 * timestamp and dimensions. So what the functions publish in the demo (deployments, remediations,
 * health checks) is there for the operations report to read, as in AWS.
 */
final class EmfForwarder extends OutputStream {
    private final OutputStream through;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    EmfForwarder(OutputStream through) {
        this.through = through;
    }

    @Override
    public void write(int b) throws IOException {
        through.write(b);
        captured.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        through.write(b, off, len);
        captured.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        through.flush();
    }

    /**
     * Puts the metrics of every EMF line written so far; returns how many datapoints. Spoken in
     * CloudWatch's query protocol over plain HTTP, not through the SDK: this runs in the function's
     * JVM, where the function's shrunk jar comes first and its CloudWatch client has no PutMetricData.
     */
    int forward(Env env) {
        String endpoint = env.optional("AWS_ENDPOINT_URL").orElseThrow();
        String region = env.optional("AWS_REGION").orElse("ap-northeast-2");
        int put = 0;
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("{\"_aws\"")) {
                continue;
            }
            JsonNode doc = Json.parseEmbedded(line);
            if (doc == null) {
                continue;
            }
            String at = Instant.ofEpochMilli(doc.path("_aws").path("Timestamp").asLong())
                    .toString();
            for (JsonNode directive : doc.path("_aws").path("CloudWatchMetrics")) {
                Map<String, String> form = new LinkedHashMap<>();
                form.put("Action", "PutMetricData");
                form.put("Version", "2010-08-01");
                form.put("Namespace", directive.path("Namespace").asText());
                int n = 0;
                for (JsonNode set : directive.path("Dimensions")) {
                    for (JsonNode metric : directive.path("Metrics")) {
                        JsonNode value = doc.get(metric.path("Name").asText());
                        if (value == null || !value.isNumber()) {
                            continue;
                        }
                        String m = "MetricData.member." + (++n) + ".";
                        form.put(m + "MetricName", metric.path("Name").asText());
                        form.put(m + "Unit", metric.path("Unit").asText("None"));
                        form.put(m + "Value", value.asText());
                        form.put(m + "Timestamp", at);
                        int d = 0;
                        for (JsonNode name : set) {
                            d++;
                            form.put(m + "Dimensions.member." + d + ".Name", name.asText());
                            form.put(
                                    m + "Dimensions.member." + d + ".Value",
                                    doc.path(name.asText()).asText());
                        }
                    }
                }
                if (n > 0) {
                    post(endpoint, region, form);
                    put += n;
                }
            }
        }
        return put;
    }

    private static void post(String endpoint, String region, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(endpoint).toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setConnectTimeout(2_000);
            c.setReadTimeout(10_000);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            // the emulator reads the region and service from the credential scope; it checks no signature
            c.setRequestProperty(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=test/20260101/" + region
                            + "/monitoring/aws4_request, SignedHeaders=host, Signature=0");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.toString().getBytes(StandardCharsets.UTF_8));
            }
            int status = c.getResponseCode();
            if (status / 100 != 2) {
                throw new IllegalStateException("PutMetricData answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
