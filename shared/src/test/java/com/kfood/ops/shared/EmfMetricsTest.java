package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfMetricsTest {
    private List<JsonNode> capture(Runnable r) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.MAPPER.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void writesOneEmfDocumentPerDimensionSetToStdout() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        EmfMetrics metrics = new EmfMetrics("KfoodOps", "PruneFunction", new OpsLog("PruneFunction", Clock.systemUTC(), new PrintStream(logs)));
        List<JsonNode> out = capture(() -> {
            metrics.count("SnapshotsPruned", 3);
            metrics.put("BackupAgeHours", 5.5, OpsMetrics.Unit.NONE, Map.of("DBInstanceIdentifier", "kfood-db"));
            metrics.flush();
        });
        assertThat(out).hasSize(2);
        JsonNode plain = out.get(0);
        assertThat(plain.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("KfoodOps");
        assertThat(plain.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText()).isEqualTo("Service");
        assertThat(plain.path("SnapshotsPruned").asDouble()).isEqualTo(3.0);
        JsonNode perDb = out.get(1);
        assertThat(perDb.at("/_aws/CloudWatchMetrics/0/Dimensions")).hasSize(1);
        assertThat(perDb.at("/_aws/CloudWatchMetrics/0/Dimensions/0").toString()).isEqualTo("[\"Service\",\"DBInstanceIdentifier\"]");
        assertThat(perDb.path("DBInstanceIdentifier").asText()).isEqualTo("kfood-db");
    }

    @Test
    void aMetricEmfRefusesIsLoggedAndDroppedWithoutFailingTheInvocation() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        EmfMetrics metrics = new EmfMetrics("KfoodOps", "HealthCheckFunction", new OpsLog("HealthCheckFunction", Clock.systemUTC(), new PrintStream(logs)));
        List<JsonNode> out = capture(() -> {
            metrics.put("Success", 1, OpsMetrics.Unit.COUNT, Map.of("Check", "has a space"));
            metrics.count("Runs", 1);
            metrics.flush();
        });
        assertThat(out).hasSize(1);
        assertThat(out.get(0).path("Runs").asDouble()).isEqualTo(1.0);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("metrics dropped").contains("whitespace");
    }
}
