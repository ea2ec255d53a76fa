package com.kfood.ops.report;

import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A platform with nothing to read (no metrics, no logs, no snapshots, no cost, no reports bucket
 * configured): every report still completes, each section either says what it found or why it could
 * not, and the one-screen notification is sent.
 */
@ExtendWith(MotoExtension.class)
class MissingSourcesIT {
    @Test
    void everyReportCompletesWithNothingToRead(Moto moto) {
        moto.seedPlatform();
        OpsReportHandler handler = new OpsReportHandler(moto.env(Map.of(
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "DB_INSTANCE_IDS",
                "kfood-db,kfood-db-gone",
                "PLATFORM_LOG_GROUP_PREFIX",
                "/aws/nothing-here",
                "DR_REGION",
                "ap-northeast-1")));
        for (String kind : new String[] {"daily", "weekly", "monthly"}) {
            JsonNode result = Invocations.invoke(handler, Invocations.json("{\"report\": \"" + kind + "\"}"), 120);

            assertThat(result.path("errorType").isMissingNode())
                    .as(kind + ": " + result)
                    .isTrue();
            assertThat(result.path("summary").asText())
                    .contains("not available: ")
                    .doesNotContain("Exception:")
                    .doesNotContain("\tat ");
        }
        JsonNode weekly = Invocations.invoke(handler, Invocations.json("{\"report\": \"weekly\"}"), 120);
        assertThat(weekly.path("summary").asText())
                .contains("API response time          N/A · not available: ALB_FULL_NAME is not set")
                .contains("Cost                       N/A · not available: Cost Explorer returned no cost")
                .contains("Availability / SLA         N/A · not available: no health check published Success");
        assertThat(moto.drain(NOTIFICATIONS_TOPIC)).hasSize(4);
    }
}
