package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.testsupport.SnapStartHooks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SnapStart hooks prime the describes, the secret read, the bucket write and the notification: nothing is sent. */
class SnapStartPrimingTest {
    @Test
    void primingExercisesTheRequestPathsAndSendsNothing() throws Exception {
        SnapStartHooks.Outcome outcome = SnapStartHooks.run(
                Map.of(
                        "DB_INSTANCE_IDS", "kfood-db",
                        "STATE_BUCKET", "kfood-ops-state-123456789012",
                        "DRILL_SUBNET_GROUP", "kfood-db-private",
                        "DRILL_SECURITY_GROUP_IDS", "sg-0d1e2f3a4b5c6d7e8"),
                RestoreDrillHandler::new);
        assertThat(outcome.requestsSent()).isZero();
        assertThat(outcome.requestsPrimed()).isGreaterThanOrEqualTo(5);
    }
}
