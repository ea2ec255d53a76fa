package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
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

/**
 * AlarmRemediationFunction fed hundreds of generated messages: it always answers (no exception, so
 * no retry of a poison message), acts at most once, and only when it says it did.
 */
class HostileInputTest {
    @Provide
    Arbitrary<String> events() {
        return HostileEvents.around(
                "events/alarm/sns-backend-5xx-alarm.json",
                "events/alarm/sns-backend-5xx-ok.json",
                "events/alarm/sns-frontend-cpu-alarm.json",
                "events/alarm/sns-frontend-cpu-ok.json",
                "events/alarm/sns-metric-math-insufficient-data.json",
                "events/alarm/direct-db-connections-alarm.json",
                "events/alarm/direct-composite-alarm.json");
    }

    @Property(tries = 400)
    void everyMessageIsAnsweredAndOnlyWhatIsReportedIsDone(@ForAll("events") String event) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T03:13:00Z"));
        RemediationTest.FakePlatform platform = new RemediationTest.FakePlatform();
        platform.service("kfood-backend", 2, null);
        platform.service("kfood-frontend", 2, null);
        platform.scalable("kfood-frontend", 2, 10); // the autoscaling path as well
        RecordingNotifier notifier = new RecordingNotifier();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("AlarmRemediationFunction", clock, new PrintStream(logs, true));
        Env env = RemediationTest.env();
        RecordingMetrics metrics = new RecordingMetrics();
        Remediation r = new Remediation(
                RemediationConfig.from(env), platform, new MemoryIncidents(), notifier, metrics, log, clock);
        OpsHandler handler = OpsHandler.of(TestOps.of("AlarmRemediationFunction", env, clock, log, metrics), r);

        JsonNode result = Invocations.invoke(handler, Invocations.json(event));

        long executed = 0;
        for (JsonNode d : result.path("decisions")) {
            executed += "EXECUTED".equals(d.path("outcome").asText()) ? 1 : 0;
        }
        assertThat(result.path("decisions").size()).isBetween(1, 10);
        assertThat(platform.actions).hasSize((int) executed);
        HostileChecks.logsAreSafe(logs);
        HostileChecks.notificationsAreSafe(
                notifier.sent, result.path("decisions").size());
    }
}
