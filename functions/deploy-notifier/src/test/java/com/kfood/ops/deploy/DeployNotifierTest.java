package com.kfood.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.incident.Incidents;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MemoryIncidents;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The notifier's decisions with fake enrichment and markers. */
class DeployNotifierTest {
    /** Markers in memory: the first claim of a key wins. */
    static final class MemoryMarkers implements OnceMarkers {
        final Set<String> claimed = new HashSet<>();

        @Override
        public boolean claim(String key) {
            return claimed.add(key);
        }

        @Override
        public Runnable primingCall() {
            return () -> {};
        }
    }

    /** Enrichment as ECS would answer for a backend going from 3f9c2ab to 8e1d4c7. */
    static final class FakeEnricher implements Enricher {
        boolean deploying;
        List<String> errors = List.of();

        @Override
        public Enrichment enrich(DeployEvent event) {
            return new Enrichment(
                    "kfood-backend:41",
                    "kfood-backend:42",
                    "3f9c2ab",
                    "8e1d4c7",
                    2,
                    2,
                    252L,
                    event.isRollback() ? "ecs-svc/6549472914785923901" : null,
                    "/ecs/kfood-backend",
                    "COMPLETED",
                    errors);
        }

        @Override
        public Placement placement(DeployEvent event) {
            return Placement.of(
                    (event.time() == null ? Instant.parse("2026-11-26T05:04:13Z") : event.time()).minusSeconds(252),
                    List.of("arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/kfood-backend/1"));
        }

        @Override
        public boolean deploying(DeployEvent event) {
            return deploying;
        }

        @Override
        public Runnable[] primingCalls() {
            return new Runnable[0];
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
    private final FakeEnricher enricher = new FakeEnricher();
    private final FakeTraffic traffic = new FakeTraffic();
    private final MemoryMarkers markers = new MemoryMarkers();
    private final MemoryIncidents incidents = new MemoryIncidents();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final OpsLog log =
            new OpsLog("DeployNotifierFunction", clock, new PrintStream(OutputStream.nullOutputStream()));

    private OpsHandler handler(boolean notifyStarts) {
        return handler(DeployConfig.of("kfood-ops-state", notifyStarts, false));
    }

    private OpsHandler handler(DeployConfig config) {
        return OpsHandler.of(
                TestOps.of("DeployNotifierFunction", TestOps.env(), clock, log, metrics),
                new DeployNotifier(
                        config,
                        new DeployNotifier.Lookups(enricher, traffic),
                        new DeployNotifier.Memory(markers, incidents),
                        notifier,
                        metrics,
                        log,
                        clock));
    }

    private JsonNode invoke(String fixture) {
        return Invocations.invoke(handler(true), Invocations.event(fixture));
    }

    @Test
    void aCompletedDeploymentSaysWhatShippedAndHowLongItTook() {
        JsonNode r = invoke("events/deploy/ecs-deployment-completed.json");
        assertThat(r.path("outcome").asText()).isEqualTo("NOTIFIED");
        Notification n = notifier.sent.getFirst();
        assertThat(n.severity()).isEqualTo(Severity.SUCCESS);
        assertThat(n.title()).isEqualTo("kfood-backend deployed 3f9c2ab -> 8e1d4c7 in 4 min 12 s");
        assertThat(n.facts())
                .containsEntry("Task definition", "kfood-backend:41 -> kfood-backend:42")
                .containsEntry("Tasks", "2 running of 2 desired");
        assertThat(n.links()).containsKeys("ECS service", "Service logs");
        assertThat(metrics.data)
                .extracting(RecordingMetrics.Datum::name)
                .containsExactly("DeploymentsSucceeded", "DeploymentDurationSeconds", "DeploymentsWithDowntime");
        assertThat(metrics.sum("DeploymentsWithDowntime")).isZero();
        assertThat(n.facts()).containsEntry("Zero-downtime", "yes");
        assertThat(metrics.data.getFirst().dimensions()).containsEntry("ServiceName", "kfood-backend");
    }

    @Test
    void aFailedDeploymentWithRollbackIsLoud() {
        invoke("events/deploy/ecs-deployment-failed-rollback.json");
        Notification n = notifier.sent.getFirst();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.title()).isEqualTo("kfood-backend deployment FAILED in 4 min 12 s, rolling back");
        assertThat(n.facts()).containsEntry("Rollback target", "ecs-svc/6549472914785923901");
        assertThat(n.nextSteps()).isNotEmpty();
        assertThat(metrics.sum("DeploymentsFailed")).isEqualTo(1);
    }

    @Test
    void theRollbacksOwnStartCountsAsARollback() {
        invoke("events/deploy/ecs-deployment-rollback-in-progress.json");
        assertThat(notifier.sent.getFirst().title())
                .isEqualTo("kfood-backend rolling back to ecs-svc/6549472914785923901");
        assertThat(metrics.sum("DeploymentsRolledBack")).isEqualTo(1);
        assertThat(metrics.sum("DeploymentsStarted")).isZero();
    }

    @Test
    void startsCanBeCountedWithoutANotification() {
        JsonNode r =
                Invocations.invoke(handler(false), Invocations.event("events/deploy/ecs-deployment-in-progress.json"));
        assertThat(r.path("outcome").asText()).isEqualTo("QUIET");
        assertThat(notifier.sent).isEmpty();
        assertThat(metrics.sum("DeploymentsStarted")).isEqualTo(1);
    }

    @Test
    void aDuplicateDeliveryIsNotNotifiedOrCountedTwice() {
        invoke("events/deploy/ecs-deployment-completed.json");
        JsonNode again = invoke("events/deploy/ecs-deployment-completed.json");
        assertThat(again.path("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(notifier.sent).hasSize(1);
        assertThat(metrics.sum("DeploymentsSucceeded")).isEqualTo(1);
    }

    @Test
    void serviceProblemsAreRateLimitedPerServiceNotStormed() {
        for (int i = 0; i < 5; i++) {
            invoke("events/deploy/ecs-service-task-start-impaired.json");
        }
        assertThat(notifier.sent).hasSize(1);
        assertThat(notifier.sent.getFirst().severity()).isEqualTo(Severity.WARNING);
        clock.advance(Duration.ofMinutes(16));
        invoke("events/deploy/ecs-service-task-start-impaired.json");
        assertThat(notifier.sent).hasSize(2);
    }

    @Test
    void aCrashOutsideADeploymentIsLoudAndRateLimited() {
        invoke("events/deploy/ecs-task-stopped-crash.json");
        JsonNode second = invoke("events/deploy/ecs-task-stopped-crash.json");
        assertThat(second.path("outcome").asText()).isEqualTo("RATE_LIMITED");
        assertThat(notifier.sent).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(n.title())
                    .isEqualTo(
                            "kfood-backend task stopped unexpectedly: kfood-backend exit 137 (OutOfMemoryError: Container killed "
                                    + "due to memory usage)");
        });
        assertThat(metrics.sum("TaskCrashes")).isEqualTo(1);
    }

    @Test
    void aTaskStoppedByADeploymentIsLeftToTheDeploymentsEvents() {
        enricher.deploying = true;
        assertThat(invoke("events/deploy/ecs-task-stopped-crash.json")
                        .path("outcome")
                        .asText())
                .isEqualTo("IGNORED");
        assertThat(notifier.sent).isEmpty();
    }

    @Test
    void codeDeployBlueGreenTransitions() {
        invoke("events/deploy/codedeploy-start.json");
        invoke("events/deploy/codedeploy-failure.json");
        assertThat(notifier.sent)
                .extracting(Notification::title)
                .containsExactly(
                        "CodeDeploy kfood-backend/kfood-backend-bluegreen deployment started",
                        "CodeDeploy kfood-backend/kfood-backend-bluegreen deployment FAILED in 4 min 12 s");
        assertThat(notifier.sent.get(1).links()).containsKey("CodeDeploy console");
        assertThat(metrics.sum("DeploymentsFailed")).isEqualTo(1);
    }

    @Test
    void aFailedLookupStillNotifiesAndSaysWhatIsMissing() {
        enricher.errors = List.of("AccessDeniedException (HTTP 400): not authorized to perform ecs:DescribeServices");
        invoke("events/deploy/ecs-deployment-completed.json");
        assertThat(notifier.sent.getFirst().facts().get("Not looked up")).contains("AccessDeniedException");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "events/snapshot/scheduler.json",
                "events/alarm/sns-backend-5xx-alarm.json",
                "events/prune/manual-dry-run.json"
            })
    void otherEventsAreIgnoredWithoutANotification(String fixture) {
        assertThat(invoke(fixture).path("outcome").asText()).isEqualTo("IGNORED");
        assertThat(notifier.sent).isEmpty();
        assertThat(metrics.data).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]",
                "42",
                "{\"detail\": null}",
                "{\"source\": \"aws.ecs\", \"detail-type\": \"ECS Service Action\", \"detail\": {\"eventType\": \"INFO\"}}"
            })
    void hostileInputIsAnsweredNotThrown(String payload) {
        assertThat(Invocations.invoke(handler(true), Invocations.json(payload))
                        .path("outcome")
                        .asText())
                .isEqualTo("IGNORED");
    }

    @Test
    void aDryRunLooksUpAndSaysWhatItWouldSendButClaimsCountsAndSendsNothing() {
        JsonNode result = Invocations.invoke(
                handler(DeployConfig.of("kfood-ops-state", true, true)),
                Invocations.event("events/deploy/ecs-deployment-failed-rollback.json"));
        assertThat(result.path("outcome").asText()).isEqualTo("DRY_RUN");
        assertThat(result.path("detail").asText()).isEqualTo("would notify: CRITICAL");
        assertThat(result.path("notified").asBoolean()).isFalse();
        assertThat(markers.claimed).isEmpty();
        assertThat(metrics.data).isEmpty();
        assertThat(notifier.sent).isEmpty();
    }

    @Test
    void aDeploymentARemediationStartedIsNamedAndEndsInItsIncident() {
        Incidents.Incident incident = incidents.open(
                "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:kfood-ops-backend-5xx",
                Instant.parse("2026-11-26T05:00:00Z"));
        incidents.linkDeployment("ecs-svc/6549472914785923901", incident);

        invoke("events/deploy/ecs-deployment-completed.json");

        Notification n = notifier.sent.getFirst();
        assertThat(n.summary())
                .startsWith("Started by remediation of kfood-ops-backend-5xx, incident " + incident.id() + ". ");
        assertThat(n.facts()).containsEntry("Incident", incident.id());
        assertThat(n.threadId()).isEqualTo(incident.id());
        assertThat(incidents.timeline(incident.id())).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Incidents.DEPLOYMENT_DONE);
            assertThat(e.at()).isEqualTo(Instant.parse("2026-11-26T05:04:13Z"));
            assertThat(e.text()).isEqualTo("deployment ecs-svc/6549472914785923901 completed in 4 min 12 s");
        });
    }

    @Test
    void anyOtherDeploymentNamesNoIncident() {
        incidents.linkDeployment(
                "ecs-svc/1111", incidents.open("kfood-ops-backend-5xx", Instant.parse("2026-11-26T05:00:00Z")));
        invoke("events/deploy/ecs-deployment-completed.json");
        Notification n = notifier.sent.getFirst();
        assertThat(n.summary()).doesNotContain("remediation");
        assertThat(n.facts()).doesNotContainKey("Incident");
        assertThat(n.threadId()).isEqualTo("ecs-svc/6549472914785923901");
    }

    @Test
    void anUnreadableIncidentLinkStillNotifies() {
        incidents.failWith = software.amazon.awssdk.services.s3.model.S3Exception.builder()
                .statusCode(403)
                .message("Access Denied")
                .build();
        JsonNode r = invoke("events/deploy/ecs-deployment-completed.json");
        assertThat(r.path("outcome").asText()).isEqualTo("NOTIFIED");
        assertThat(notifier.sent).hasSize(1);
    }

    /** The fixture's deployment: started 05:00:01, completed 05:04:13 (minute 1 is 05:00). */
    private void noHealthyHostAt0502() {
        Instant at = Instant.parse("2026-11-26T05:02:00Z");
        traffic.at(at, m -> new TrafficWindow.Minute(m.at(), 0.0, 2.0, 12.0, 30.0, 40.0));
    }

    @Test
    void aDeploymentUsersSawPagesWithItsNumbersAndIsCountedOnceThoughDeliveredTwice() {
        noHealthyHostAt0502();
        invoke("events/deploy/ecs-deployment-completed.json");
        invoke("events/deploy/ecs-deployment-completed.json");
        Notification n = notifier.sent.getFirst();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.facts().get("Zero-downtime"))
                .isEqualTo("no (12 target 5xx in minute 3, 30 load balancer 5xx in minute 3, healthy hosts 0 for 1 min"
                        + " from minute 3; unhealthy hosts up to 2 in minute 3)");
        assertThat(n.facts()).containsEntry("Judged over", "14:00-14:05 KST against 13:00-14:00 KST");
        assertThat(n.nextSteps().getFirst()).startsWith("Users saw errors during this deployment");
        assertThat(notifier.sent).hasSize(1);
        assertThat(metrics.sum("DeploymentsWithDowntime")).isEqualTo(1);
    }

    @Test
    void withDowntimeSetToInformANoIsToldWithoutPaging() {
        noHealthyHostAt0502();
        handlerWith(new DeployConfig.Verdicts(false, 50));
        Notification n = notifier.sent.getFirst();
        assertThat(n.severity()).isEqualTo(Severity.SUCCESS);
        assertThat(n.facts().get("Zero-downtime")).startsWith("no (");
    }

    @Test
    void aLateDeliveryIsJudgedOverTheDeploymentsOwnMinutesNotUpToNow() {
        clock.set(Instant.parse("2026-11-26T09:30:00Z")); // delivered four and a half hours late
        invoke("events/deploy/ecs-deployment-completed.json");
        assertThat(traffic.askedFrom).isEqualTo(Instant.parse("2026-11-26T05:00:00Z"));
        assertThat(traffic.askedTo).isEqualTo(Instant.parse("2026-11-26T05:05:00Z"));
    }

    @Test
    void onlyTheEventsThatEndADeploymentAreJudged() {
        invoke("events/deploy/ecs-deployment-in-progress.json");
        invoke("events/deploy/ecs-task-stopped-crash.json");
        assertThat(traffic.askedTo).isNull();
        assertThat(notifier.sent).allSatisfy(n -> assertThat(n.facts()).doesNotContainKey("Zero-downtime"));
        invoke("events/deploy/codedeploy-failure.json");
        assertThat(notifier.sent.getLast().facts()).containsKey("Zero-downtime");
    }

    private void handlerWith(DeployConfig.Verdicts verdicts) {
        DeployConfig config = new DeployConfig("kfood-ops-state", true, false, verdicts, "kfood-cluster", List.of());
        Invocations.invoke(handler(config), Invocations.event("events/deploy/ecs-deployment-completed.json"));
    }
}
