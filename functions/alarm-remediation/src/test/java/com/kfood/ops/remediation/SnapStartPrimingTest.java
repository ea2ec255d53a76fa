package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.testsupport.SnapStartHooks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SnapStart hooks run the first request's AWS calls, stopped before sending: nothing is sent. */
class SnapStartPrimingTest {
    @Test
    void primingExercisesTheRequestPathsAndSendsNothing() throws Exception {
        SnapStartHooks.Outcome outcome =
                SnapStartHooks.run(Map.of("STATE_BUCKET", "kfood-ops-state"), AlarmRemediationHandler::new);
        assertThat(outcome.requestsSent()).isZero();
        assertThat(outcome.requestsPrimed()).isGreaterThanOrEqualTo(15);
    }
}
