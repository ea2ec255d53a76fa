package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T03:00:00Z"), ZoneOffset.UTC);

    /** The metrics' stdout (EmfMetrics takes it as a seam; Lambda's is System.out). */
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private final PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);

    /** The EMF documents {@code r} wrote. */
    private List<JsonNode> capture(Runnable r) {
        stdout.reset();
        r.run();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.parseEmbedded(line));
            }
        }
        return lines;
    }

    @Test
    void writesOneEmfDocumentPerDimensionSetToStdout() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        EmfMetrics metrics = new EmfMetrics(
                "KfoodOps",
                "PruneFunction",
                CLOCK,
                new OpsLog("PruneFunction", Clock.systemUTC(), new PrintStream(logs)),
                () -> out);
        List<JsonNode> out = capture(() -> {
            metrics.count("SnapshotsPruned", 3);
            metrics.put("BackupAgeHours", 5.5, OpsMetrics.Unit.NONE, Map.of("DBInstanceIdentifier", "kfood-db"));
            metrics.flush();
        });
        assertThat(out).hasSize(2);
        JsonNode plain = out.get(0);
        assertThat(plain.at("/_aws/Timestamp").asLong()).isEqualTo(CLOCK.millis());
        assertThat(plain.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("KfoodOps");
        assertThat(plain.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText())
                .isEqualTo("SnapshotsPruned");
        assertThat(plain.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText())
                .isEqualTo("Count");
        assertThat(plain.path("Service").asText()).isEqualTo("PruneFunction");
        assertThat(plain.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText())
                .isEqualTo("Service");
        assertThat(plain.path("SnapshotsPruned").asDouble()).isEqualTo(3.0);
        JsonNode perDb = out.get(1);
        assertThat(perDb.at("/_aws/CloudWatchMetrics/0/Dimensions")).hasSize(1);
        assertThat(perDb.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString())
                .isEqualTo("[\"Service\",\"DBInstanceIdentifier\"]");
        assertThat(perDb.path("DBInstanceIdentifier").asText()).isEqualTo("kfood-db");
    }

    @Test
    void aMetricCloudWatchWouldRefuseIsLoggedAndDroppedWithoutFailingTheInvocation() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        EmfMetrics metrics = new EmfMetrics(
                "KfoodOps",
                "HealthCheckFunction",
                CLOCK,
                new OpsLog("HealthCheckFunction", Clock.systemUTC(), new PrintStream(logs)),
                () -> out);
        List<JsonNode> out = capture(() -> {
            metrics.put("Success", 1, OpsMetrics.Unit.COUNT, Map.of("Check", "데이터베이스"));
            metrics.put("Success", 1, OpsMetrics.Unit.COUNT, Map.of("Check", "  "));
            metrics.put("LatencyMs", Double.NaN, OpsMetrics.Unit.MILLISECONDS, Map.of("Check", "database"));
            metrics.count("Runs", 1);
            metrics.flush();
        });
        assertThat(out).hasSize(1);
        assertThat(out.get(0).path("Runs").asDouble()).isEqualTo(1.0);
        String logged = logs.toString(StandardCharsets.UTF_8);
        assertThat(logged.lines().filter(l -> l.contains("metrics dropped"))).hasSize(3);
        assertThat(logged).contains("printable ASCII").contains("not a finite number");
    }

    @Test
    void moreThanAHundredMetricsOfOneDimensionSetAreSplitAcrossDocuments() throws Exception {
        EmfMetrics metrics = new EmfMetrics(
                "KfoodOps",
                "PruneFunction",
                CLOCK,
                new OpsLog("PruneFunction", CLOCK, new PrintStream(new ByteArrayOutputStream())),
                () -> out);
        List<JsonNode> out = capture(() -> {
            for (int i = 0; i < 150; i++) {
                metrics.count("M" + i, i);
            }
            metrics.flush();
        });
        assertThat(out).hasSize(2);
        assertThat(out.get(0).at("/_aws/CloudWatchMetrics/0/Metrics")).hasSize(100);
        assertThat(out.get(1).at("/_aws/CloudWatchMetrics/0/Metrics")).hasSize(50);
        assertThat(out.get(1).path("M149").asDouble()).isEqualTo(149.0);
    }

    @Test
    void aFlushWritesOnlyWhatWasPutSinceTheLastOne() throws Exception {
        EmfMetrics metrics = new EmfMetrics(
                "KfoodOps",
                "PruneFunction",
                CLOCK,
                new OpsLog("PruneFunction", CLOCK, new PrintStream(new ByteArrayOutputStream())),
                () -> out);
        capture(() -> {
            metrics.count("Runs", 1);
            metrics.flush();
        });
        assertThat(capture(metrics::flush)).isEmpty();
    }
}
