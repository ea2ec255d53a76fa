package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.testsupport.SnapStartHooks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SnapStart hooks prime the secret fetch and the notification, stopped before sending: nothing is sent. */
class SnapStartPrimingTest {
    @Test
    void primingExercisesTheRequestPathsAndSendsNothing() throws Exception {
        SnapStartHooks.Outcome outcome = SnapStartHooks.run(
                Map.of("DB_SECRET_ARN", "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:kfood-ops/care"),
                DatabaseCareHandler::new);
        assertThat(outcome.requestsSent()).isZero();
        assertThat(outcome.requestsPrimed()).isGreaterThanOrEqualTo(2);
    }
}
