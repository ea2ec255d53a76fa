package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.HostileChecks;
import com.kfood.ops.testsupport.HostileEvents;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * OpsReportFunction fed hundreds of generated events: anything but a schedule's or a manual report
 * request is rejected before a source is even asked for, and nothing unsafe reaches a log or a
 * notification.
 */
class HostileInputTest {
    @Provide
    Arbitrary<String> events() {
        return HostileEvents.around(
                "events/report/scheduler-daily.json",
                "events/report/scheduler-monthly.json",
                "events/report/manual-dry-run.json",
                "events/report/weekly.json");
    }

    @Property(tries = 300)
    void aRejectedEventNeverReachesASource(@ForAll("events") String event) {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        OpsLog log = new OpsLog("OpsReportFunction", clock, new PrintStream(logs, true));
        RecordingMetrics metrics = new RecordingMetrics();
        RecordingNotifier notifier = new RecordingNotifier();
        Fakes.Sources sources =
                new Fakes.Sources(new FakeCloudWatch(q -> 1.0, 500), List.of(Fakes.metricSource("errors", 0)));
        var env = TestOps.env("DB_INSTANCE_IDS", "kfood-db", "STACK_NAME", "kfood-ops");
        OpsHandler handler = OpsHandler.of(
                TestOps.of("OpsReportFunction", env, clock, log, metrics),
                new OpsReport(
                        ReportConfig.from(env),
                        sources,
                        Optional.of(new Fakes.Store()),
                        notifier,
                        metrics,
                        log,
                        clock));
        try {
            Invocations.invoke(handler, Invocations.json(event));
            assertThat(sources.built).isEqualTo(1);
        } catch (InvalidEventException rejected) {
            assertThat(rejected.getMessage()).isNotBlank().doesNotContain(HostileChecks.SECRET);
            assertThat(sources.built).isZero();
            assertThat(notifier.sent).isEmpty();
        }
        HostileChecks.notificationsAreSafe(notifier.sent, 1);
        HostileChecks.logsAreSafe(logs);
    }
}
