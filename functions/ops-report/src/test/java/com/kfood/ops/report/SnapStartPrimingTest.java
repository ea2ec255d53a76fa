package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.testsupport.SnapStartHooks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SnapStart hooks prime the metric read and the report's storage, stopped before sending: nothing is sent. */
class SnapStartPrimingTest {
    @Test
    void primingExercisesTheRequestPathsAndSendsNothing() throws Exception {
        SnapStartHooks.Outcome outcome = SnapStartHooks.run(
                Map.of(
                        "DB_INSTANCE_IDS",
                        "kfood-db",
                        "STACK_NAME",
                        "kfood-ops",
                        "REPORTS_BUCKET",
                        "kfood-ops-reports-123456789012"),
                OpsReportHandler::new);
        assertThat(outcome.requestsSent()).isZero();
        assertThat(outcome.requestsPrimed()).isGreaterThanOrEqualTo(3);
    }
}
