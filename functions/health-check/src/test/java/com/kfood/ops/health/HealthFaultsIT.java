package com.kfood.ops.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.testsupport.FaultProxy;
import com.kfood.ops.testsupport.FaultProxy.Fault;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The health check's one AWS call (the secret) through the fault proxy: retried, or failed as the database check only. */
@ExtendWith(MotoExtension.class)
class HealthFaultsIT {
    private static String secret(Moto moto) {
        return moto.postgresSecret("kfood/db-faults", "postgres", "x", "postgres");
    }

    private static JsonNode database(JsonNode result) {
        for (JsonNode c : result.path("checks")) {
            if (c.path("name").asText().equals("database")) {
                return c;
            }
        }
        throw new AssertionError("no database check");
    }

    @Test
    void aThrottledSecretFetchIsRetriedAndAFailingOneFailsOnlyTheDatabaseCheck(Moto moto) throws Exception {
        String arn = secret(moto);
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> call.sequence() <= 2 ? Fault.THROTTLE : Fault.NONE);
            JsonNode retried = Invocations.invoke(
                    new HealthCheckHandler(moto.env(Map.of(
                            "DB_SECRET_ARN",
                            arn,
                            "DB_SSLMODE",
                            "disable",
                            "DEGRADED_MS",
                            "30000",
                            "AWS_ENDPOINT_URL",
                            proxy.endpoint().toString(),
                            "AWS_MAX_ATTEMPTS",
                            "5"))),
                    Invocations.event("events/health/scheduler.json"));
            assertThat(database(retried).path("status").asText()).isEqualTo("OK");

            proxy.plan(call -> Fault.SERVER_ERROR);
            JsonNode failed = Invocations.invoke(
                    new HealthCheckHandler(moto.env(Map.of(
                            "DB_SECRET_ARN",
                            arn,
                            "DB_SSLMODE",
                            "disable",
                            "REDIS_TLS",
                            "false",
                            "REDIS_ENDPOINT",
                            "127.0.0.1:6379",
                            "AWS_ENDPOINT_URL",
                            proxy.endpoint().toString(),
                            "AWS_MAX_ATTEMPTS",
                            "2"))),
                    Invocations.event("events/health/scheduler.json"));
            System.out.printf("reliability: health check under faults %s%n", proxy.injected());
            assertThat(database(failed).path("status").asText()).isEqualTo("FAILED");
            assertThat(database(failed).path("error").asText()).contains("HTTP 500");
            assertThat(failed.toString())
                    .contains("\"name\":\"redis\",\"target\":\"redis://127.0.0.1:6379\",\"status\":\"OK\"");
        }
    }
}
