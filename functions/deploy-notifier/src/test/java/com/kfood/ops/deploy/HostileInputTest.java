package com.kfood.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.HostileChecks;
import com.kfood.ops.testsupport.HostileEvents;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MemoryIncidents;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** DeployNotifierFunction fed hundreds of generated events: always answered, at most one notification, never unsafe. */
class HostileInputTest {
    @Provide
    Arbitrary<String> events() {
        return HostileEvents.around(
                "events/deploy/ecs-deployment-completed.json",
                "events/deploy/ecs-deployment-failed-rollback.json",
                "events/deploy/ecs-service-short-arn.json",
                "events/deploy/ecs-task-stopped-crash.json",
                "events/deploy/codedeploy-failure.json");
    }

    @Property(tries = 300)
    void everyEventIsAnsweredWithAtMostOneSafeNotification(@ForAll("events") String event) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
        RecordingNotifier notifier = new RecordingNotifier();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("DeployNotifierFunction", clock, new PrintStream(logs, true));
        RecordingMetrics metrics = new RecordingMetrics();
        OpsHandler handler = OpsHandler.of(
                TestOps.of("DeployNotifierFunction", TestOps.env(), clock, log, metrics),
                new DeployNotifier(
                        DeployConfig.of("kfood-ops-state", true, false),
                        new DeployNotifier.Lookups(new DeployNotifierTest.FakeEnricher(), new FakeTraffic()),
                        new DeployNotifier.Memory(new DeployNotifierTest.MemoryMarkers(), new MemoryIncidents()),
                        notifier,
                        metrics,
                        log,
                        clock));

        JsonNode result = Invocations.invoke(handler, Invocations.json(event));

        assertThat(result.path("outcome").asText()).isIn("NOTIFIED", "QUIET", "DUPLICATE", "RATE_LIMITED", "IGNORED");
        assertThat(result.path("notified").asBoolean()).isEqualTo(!notifier.sent.isEmpty());
        HostileChecks.logsAreSafe(logs);
        HostileChecks.notificationsAreSafe(notifier.sent, 1);
    }
}
