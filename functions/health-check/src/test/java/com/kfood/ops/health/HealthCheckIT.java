package com.kfood.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HealthCheckFunction against a real HTTP endpoint (the emulator's own API) and a closed port. */
@ExtendWith(MotoExtension.class)
class HealthCheckIT {
    @Test
    void reportsEachUrlAndUnconfiguredChecks(Moto moto) {
        String up = moto.emulator().endpoint() + "/moto-api/";
        var handler = new HealthCheckHandler(moto.env(Map.of("HEALTH_CHECK_URLS", up + ",http://127.0.0.1:1/health",
                "CHECK_TIMEOUT_MS", "1000")));

        JsonNode result = Invocations.invoke(handler, Invocations.event("events/health/scheduler.json"));

        assertThat(result.path("checks")).extracting(c -> c.path("status").asText())
                .containsExactly("NOT_CONFIGURED", "NOT_CONFIGURED", "OK", "FAILED");
    }
}
