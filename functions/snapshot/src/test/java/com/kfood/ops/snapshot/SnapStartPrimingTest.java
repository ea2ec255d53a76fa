package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.testsupport.SnapStartHooks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SnapStart hooks run the first request's AWS calls, stopped before sending: nothing is sent. */
class SnapStartPrimingTest {
    @Test
    void primingExercisesTheRequestPathsAndSendsNothing() throws Exception {
        SnapStartHooks.Outcome outcome = SnapStartHooks.run(
                Map.of(
                        "DB_INSTANCE_IDS",
                        "kfood-db",
                        "BACKUP_SOURCE_BUCKET",
                        "kfood-uploads",
                        "BACKUP_BUCKET",
                        "kfood-backups"),
                SnapshotHandler::new);
        assertThat(outcome.requestsSent()).isZero();
        assertThat(outcome.requestsPrimed()).isGreaterThanOrEqualTo(7);
    }
}
