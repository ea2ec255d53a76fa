package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Severity;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.ecs.model.EcsException;

/** The runbooks and guard rails on a fake platform: every guard rail, no emulator. */
class RemediationTest {
    /** An in-memory platform that records what was done to it. */
    static final class FakePlatform implements Platform {
        final Map<String, Platform.EcsService> services = new HashMap<>();
        final List<String> actions = new ArrayList<>();
        EcsException failWith;
        /** Scalable targets by service name; a service without one is scaled by its desired count. */
        final Map<String, ScalableTarget> scaling = new HashMap<>();
        /** ERROR lines the services' logs hold, newest last. */
        final List<String> errorLines = new ArrayList<>();

        void scalable(String service, int min, int max) {
            scaling.put(service, new ScalableTarget("service/kfood-cluster/" + service, min, max, null));
        }

        void service(String name, int desired, String deploying) {
            Platform.EcsService old = services.get(name);
            services.put(
                    name,
                    new Platform.EcsService(
                            "arn:aws:ecs:ap-northeast-2:123456789012:service/kfood-cluster/" + name,
                            "kfood-cluster",
                            name,
                            desired,
                            desired,
                            deploying,
                            "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/" + name + ":7",
                            old == null ? new Cooldown.History(List.of()) : old.history(),
                            old == null ? null : old.minimumSet()));
        }

        @Override
        public EcsService ecsService(String cluster, String service) {
            return services.get(service);
        }

        @Override
        public void recordEcs(EcsService s, Cooldown.History history) {
            services.put(
                    s.name(),
                    new EcsService(
                            s.arn(),
                            s.cluster(),
                            s.name(),
                            s.desired(),
                            s.running(),
                            s.deploymentInProgress(),
                            s.taskDefinition(),
                            history,
                            services.get(s.name()).minimumSet()));
        }

        @Override
        public String forceNewDeployment(EcsService s) {
            if (failWith != null) {
                throw failWith;
            }
            actions.add("force " + s.name());
            return "ecs-svc/1";
        }

        @Override
        public void setDesiredCount(EcsService s, int desired) {
            actions.add("scale " + s.name() + " " + desired);
            services.put(
                    s.name(),
                    new EcsService(
                            s.arn(),
                            s.cluster(),
                            s.name(),
                            desired,
                            s.running(),
                            null,
                            s.taskDefinition(),
                            services.get(s.name()).history(),
                            services.get(s.name()).minimumSet()));
        }

        @Override
        public ScalableTarget scalableTarget(EcsService s) {
            ScalableTarget t = scaling.get(s.name());
            // the hold's scheduled action and the value set on the service, read back as AWS would
            return t == null || t.hold() == null
                    ? t
                    : new ScalableTarget(
                            t.resourceId(),
                            t.min(),
                            t.max(),
                            new Hold(
                                    t.hold().originalMin(),
                                    t.hold().until(),
                                    services.get(s.name()).minimumSet()));
        }

        @Override
        public void holdMinimum(EcsService s, ScalableTarget t, int raisedTo, int originalMin, Instant until) {
            actions.add("hold " + s.name() + " min " + raisedTo + " until " + until + " then " + originalMin);
            scaling.put(
                    s.name(),
                    new ScalableTarget(t.resourceId(), raisedTo, t.max(), new Hold(originalMin, until, null)));
            minimumSet(s.name(), raisedTo);
        }

        @Override
        public void restoreMinimum(EcsService s, ScalableTarget t, boolean putBack) {
            int min = putBack ? t.hold().originalMin() : t.min();
            actions.add((putBack ? "restore " : "release ") + s.name() + " min " + min);
            scaling.put(s.name(), new ScalableTarget(t.resourceId(), min, t.max(), null));
            minimumSet(s.name(), null);
        }

        /** What remediation recorded on the service as the minimum it set. */
        void minimumSet(String name, Integer value) {
            EcsService o = services.get(name);
            services.put(
                    name,
                    new EcsService(
                            o.arn(),
                            o.cluster(),
                            o.name(),
                            o.desired(),
                            o.running(),
                            o.deploymentInProgress(),
                            o.taskDefinition(),
                            o.history(),
                            value));
        }

        /** A person changes the minimum by hand (the console, the CLI): the hold's action stays. */
        void personSetsMinimum(String name, int min) {
            ScalableTarget t = scaling.get(name);
            scaling.put(name, new ScalableTarget(t.resourceId(), min, t.max(), t.hold()));
        }

        @Override
        public ErrorLines recentErrors(EcsService s, Instant from, Instant to, int max) {
            return new ErrorLines(
                    "/aws/kfood-shorts/" + s.name(),
                    errorLines.size(),
                    errorLines.subList(Math.max(0, errorLines.size() - max), errorLines.size()));
        }

        @Override
        public Database database(String id) {
            return new Database(
                    "arn:aws:rds:ap-northeast-2:123456789012:db:" + id,
                    id,
                    "available",
                    true,
                    "db.r6g.large",
                    "postgres 16.4",
                    "ap-northeast-2a",
                    new Cooldown.History(List.of()));
        }

        @Override
        public List<String> recentDatabaseEvents(String id, Duration window) {
            return List.of("03:10 Multi-AZ instance failover started.", "03:11 Multi-AZ instance failover completed.");
        }

        @Override
        public List<String> datapoints(AlarmChange.MetricRef metric, Instant now, Duration window) {
            return List.of("03:10 0.0", "03:11 0.0");
        }

        /** Alarms as CloudWatch holds them; a name not here is in ALARM, under this account's ARN. */
        final Map<String, AlarmNow> alarms = new HashMap<>();

        final List<String> alarmsRead = new ArrayList<>();
        /** CloudWatch's answer to DescribeAlarms, when it fails. */
        RuntimeException alarmsFailWith;

        @Override
        public AlarmNow alarmNow(String name) {
            alarmsRead.add(name);
            if (alarmsFailWith != null) {
                throw alarmsFailWith;
            }
            if (alarms.containsKey(name)) {
                return alarms.get(name);
            }
            return new AlarmNow(name, "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:" + name, "ALARM");
        }

        @Override
        public Instant alarmStart(String alarmName, Instant before) {
            throw CloudWatchException.builder()
                    .statusCode(500)
                    .awsErrorDetails(
                            AwsErrorDetails.builder().serviceName("CloudWatch").build())
                    .build();
        }

        @Override
        public void recordDatabase(Database db, Cooldown.History history) {
            actions.add("record " + db.id());
        }

        @Override
        public void reboot(Database db) {
            actions.add("reboot " + db.id());
        }

        @Override
        public Runnable[] primingCalls() {
            return new Runnable[0];
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T03:13:00Z"));
    private final FakePlatform platform = new FakePlatform();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MemoryIncidents incidents = new MemoryIncidents();
    private final OpsLog log =
            new OpsLog("AlarmRemediationFunction", clock, new PrintStream(OutputStream.nullOutputStream()));

    RemediationTest() {
        platform.service("kfood-backend", 2, null);
        platform.service("kfood-frontend", 2, null);
    }

    private OpsHandler handler(boolean dryRun) {
        Env env = env("DRY_RUN", String.valueOf(dryRun));
        Remediation r =
                new Remediation(RemediationConfig.from(env), platform, incidents, notifier, metrics, log, clock);
        return OpsHandler.of(TestOps.of("AlarmRemediationFunction", env, clock, log, metrics), r);
    }

    private Remediation withoutCooldown() {
        return new Remediation(
                RemediationConfig.from(env("COOLDOWN_MINUTES", "0")),
                platform,
                incidents,
                notifier,
                metrics,
                log,
                clock);
    }

    /** The function's environment as the template sets it, plus {@code vars}. */
    static Env env(String... vars) {
        List<String> all =
                new ArrayList<>(List.of("STATE_BUCKET", "kfood-ops-state-123456789012", "ALARM_PREFIXES", "kfood-"));
        all.addAll(List.of(vars));
        return TestOps.env(all.toArray(String[]::new));
    }

    private JsonNode invoke(String fixture) {
        return Invocations.invoke(handler(false), Invocations.event(fixture));
    }

    static String snsAlarm(
            String name, String namespace, String metric, Map<String, String> dims, String state, Instant at) {
        List<Map<String, String>> dimensions = new ArrayList<>();
        dims.forEach((k, v) -> dimensions.add(Map.of("name", k, "value", v)));
        Map<String, Object> message = new HashMap<>(Map.of(
                "AlarmName",
                name,
                "NewStateValue",
                state,
                "OldStateValue",
                state.equals("OK") ? "ALARM" : "OK",
                "NewStateReason",
                "Threshold Crossed",
                "StateChangeTime",
                at.toString().replace("Z", ".000+0000"),
                "AlarmArn",
                "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:" + name,
                "Trigger",
                Map.of(
                        "Namespace",
                        namespace,
                        "MetricName",
                        metric,
                        "Dimensions",
                        dimensions,
                        "Statistic",
                        "AVERAGE",
                        "Period",
                        60,
                        "Threshold",
                        80.0,
                        "ComparisonOperator",
                        "GreaterThanThreshold")));
        return Json.write(Map.of("Records", List.of(Map.of("Sns", Map.of("Message", Json.write(message))))));
    }

    @Test
    void backend5xxForcesANewDeploymentOnceAndSaysSo() {
        JsonNode result = invoke("events/alarm/sns-backend-5xx-alarm.json");
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("EXECUTED");
        assertThat(result.at("/decisions/0/target").asText()).isEqualTo("ecs:kfood-cluster/kfood-backend");
        assertThat(platform.actions).containsExactly("force kfood-backend");
        Notification n = notifier.sent.get(0);
        assertThat(n.title()).isEqualTo("kfood-ops-backend-5xx: ecs-force-new-deployment done");
        assertThat(n.facts()).containsKey("Runbook").containsEntry("Target", "ecs:kfood-cluster/kfood-backend");
        assertThat(n.links())
                .containsValue("https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2"
                        + "#alarmsV2:alarm/kfood-ops-backend-5xx");
        assertThat(metrics.sum("ActionsExecuted")).isEqualTo(1);
    }

    @Test
    void aRedeliveredMessageDoesNotActTwice() {
        invoke("events/alarm/sns-backend-5xx-alarm.json");
        clock.advance(Duration.ofMinutes(30)); // even after the cooldown
        JsonNode again = invoke("events/alarm/sns-backend-5xx-alarm.json");
        assertThat(again.at("/decisions/0/outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(platform.actions).hasSize(1);
        assertThat(notifier.sent).hasSize(1);
    }

    @Test
    void aFlappingAlarmActsAtMostTheCapAndReportsTheRestSuppressed() {
        List<String> outcomes = new ArrayList<>();
        Instant start = clock.instant();
        for (int i = 0; i < 20; i++) {
            clock.set(start.plus(Duration.ofMinutes(3L * i)));
            String event = snsAlarm(
                    "kfood-ops-backend-5xx",
                    "AWS/ApplicationELB",
                    "HTTPCode_Target_5XX_Count",
                    Map.of(),
                    "ALARM",
                    clock.instant());
            outcomes.add(Invocations.invoke(handler(false), Invocations.json(event))
                    .at("/decisions/0/outcome")
                    .asText());
        }
        long executed = outcomes.stream().filter("EXECUTED"::equals).count();
        assertThat(executed).isBetween(1L, 3L);
        assertThat(outcomes.stream().filter("SUPPRESSED"::equals).count()).isEqualTo(20 - executed);
        assertThat(platform.actions).hasSize((int) executed);
        assertThat(notifier.sent)
                .extracting(Notification::title)
                .filteredOn(t -> t.endsWith("suppressed"))
                .hasSize((int) (20 - executed));
    }

    @Test
    void theHourlyCapHoldsEvenWithoutTheCooldown() {
        Remediation r = withoutCooldown();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(1));
            r.handle(AlarmParser.parse(Json.parseEmbedded(snsAlarm(
                            "kfood-b-5xx",
                            "AWS/ApplicationELB",
                            "HTTPCode_Target_5XX_Count",
                            Map.of(),
                            "ALARM",
                            clock.instant())))
                    .get(0)
                    .alarm());
        }
        assertThat(platform.actions).hasSize(3);
        assertThat(notifier.sent.get(3).facts().get("Decision")).contains("cap: 3 remediations");
    }

    @Test
    void neverActsDuringADeployment() {
        platform.service("kfood-backend", 2, "deployment ecs-svc/9 is in progress");
        JsonNode result = invoke("events/alarm/sns-backend-5xx-alarm.json");
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(result.at("/decisions/0/detail").asText()).contains("a deployment is in progress");
        assertThat(platform.actions).isEmpty();
        assertThat(notifier.sent.get(0).facts().get("Decision")).contains("deployment ecs-svc/9 is in progress");
    }

    @Test
    void cpuHighScalesOutByAStepNeverAboveTheMaximum() {
        String event = snsAlarm(
                "kfood-frontend-cpu",
                "AWS/ECS",
                "CPUUtilization",
                Map.of("ClusterName", "kfood-cluster", "ServiceName", "kfood-frontend"),
                "ALARM",
                clock.instant());
        assertThat(Invocations.invoke(handler(false), Invocations.json(event))
                        .at("/decisions/0/detail")
                        .asText())
                .isEqualTo("scaled ecs:kfood-cluster/kfood-frontend from 2 to 3 tasks");
        platform.service("kfood-frontend", 10, null);
        clock.advance(Duration.ofHours(2));
        String later = snsAlarm(
                "kfood-frontend-cpu",
                "AWS/ECS",
                "CPUUtilization",
                Map.of("ClusterName", "kfood-cluster", "ServiceName", "kfood-frontend"),
                "ALARM",
                clock.instant());
        JsonNode atMax = Invocations.invoke(handler(false), Invocations.json(later));
        assertThat(atMax.at("/decisions/0/outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(atMax.at("/decisions/0/detail").asText()).isEqualTo("already at the maximum of 10 tasks");
        assertThat(platform.actions).containsExactly("scale kfood-frontend 3");
    }

    @Test
    void aServiceTheRuleDoesNotNameIsNeverTouched() {
        String event = snsAlarm(
                "kfood-payments-cpu",
                "AWS/ECS",
                "CPUUtilization",
                Map.of("ServiceName", "payments"),
                "ALARM",
                clock.instant());
        JsonNode result = Invocations.invoke(handler(false), Invocations.json(event));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(result.at("/decisions/0/detail").asText()).contains("'payments' is not one this rule may act on");
        assertThat(platform.actions).isEmpty();
    }

    @Test
    void dryRunExecutesNothingAndSaysWhatItWouldHaveDone() {
        JsonNode result =
                Invocations.invoke(handler(true), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("WOULD_EXECUTE");
        assertThat(result.at("/decisions/0/detail").asText())
                .isEqualTo("dry run: would force a new deployment of ecs:kfood-cluster/kfood-backend");
        assertThat(platform.actions).isEmpty();
        assertThat(platform.services.get("kfood-backend").history().entries()).isEmpty();
    }

    @Test
    void aFailedActionIsReportedAsFailedNeverAsDone() {
        platform.failWith = (EcsException) EcsException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException")
                        .errorMessage("not authorized to perform ecs:UpdateService")
                        .build())
                .build();
        JsonNode result = invoke("events/alarm/sns-backend-5xx-alarm.json");
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("FAILED");
        Notification n = notifier.sent.get(0);
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.title()).endsWith("FAILED");
        assertThat(n.facts().get("Decision"))
                .contains("AccessDeniedException (HTTP 400): not authorized to perform ecs:UpdateService");
        assertThat(n.toString()).doesNotContain("at com.").doesNotContain("Exception:");
        assertThat(metrics.sum("ActionsFailed")).isEqualTo(1);
    }

    @Test
    void databaseConnectionFailureIsDiagnosedNotRebooted() {
        JsonNode result = invoke("events/alarm/direct-db-connections-alarm.json");
        assertThat(result.at("/decisions/0/action").asText()).isEqualTo("rds-diagnose");
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("NOTIFIED");
        Notification n = notifier.sent.get(0);
        assertThat(n.facts().values())
                .anyMatch(v -> v.contains("Multi-AZ true"))
                .anyMatch(v -> v.contains("failover completed"))
                .anyMatch(v -> v.contains("03:11 0.0"));
    }

    @Test
    void recoveryFromADirectAlarmEventSaysHowLongItLasted() {
        String ok = """
                {"source":"aws.cloudwatch","alarmArn":"arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:kfood-ops-backend-5xx",
                 "time":"2026-11-26T03:40:00.000+0000","region":"ap-northeast-2","alarmData":{"alarmName":"kfood-ops-backend-5xx",
                 "state":{"value":"OK","reason":"back to normal","timestamp":"2026-11-26T03:40:00.000+0000"},
                 "previousState":{"value":"ALARM","timestamp":"2026-11-26T03:12:41.087+0000"},
                 "configuration":{"metrics":[{"id":"m1","metricStat":{"metric":{"namespace":"AWS/ApplicationELB",
                 "name":"HTTPCode_Target_5XX_Count","dimensions":{}},"period":60,"stat":"Sum"}}]}}}""";
        invoke("events/alarm/sns-backend-5xx-alarm.json");
        JsonNode result = Invocations.invoke(handler(false), Invocations.json(ok));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("RECOVERED");
        Notification n = notifier.sent.get(1);
        assertThat(n.title()).isEqualTo("Recovered: kfood-ops-backend-5xx");
        assertThat(n.severity()).isEqualTo(Severity.SUCCESS);
        assertThat(n.facts().values())
                .anyMatch(v -> v.startsWith("lasted 27 min"))
                .anyMatch(v -> v.startsWith("1 x ecs-force-new-deployment"));
    }

    @Test
    void recoveryOverSnsWithoutAlarmHistorySaysTheDurationIsUnknown() {
        JsonNode result = invoke("events/alarm/sns-backend-5xx-ok.json");
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("RECOVERED");
        assertThat(notifier.sent.get(0).facts().values())
                .anyMatch(v -> v.startsWith("duration unknown: alarm history unavailable"));
    }

    @Test
    void anAlarmWithNoRuleIsExplainedWithItsData() {
        String event = snsAlarm(
                "kfood-ops-lambda-errors",
                "AWS/Lambda",
                "Errors",
                Map.of("FunctionName", "x"),
                "ALARM",
                clock.instant());
        JsonNode result = Invocations.invoke(handler(false), Invocations.json(event));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("NOTIFIED");
        Notification n = notifier.sent.get(0);
        assertThat(n.facts().get("Runbook")).isEqualTo("none matches this alarm");
        assertThat(n.facts().get("Metric")).contains("AWS/Lambda Errors").contains("GreaterThanThreshold 80.0");
        assertThat(n.facts().get("Recent values")).contains("03:10 0.0");
        assertThat(platform.actions).isEmpty();
    }

    @Test
    void healthCheckAlarmsNameTheFailingCheck() {
        String event = snsAlarm(
                "kfood-ops-health-database",
                "KfoodOps",
                "Success",
                Map.of("Service", "HealthCheckFunction", "Check", "database"),
                "ALARM",
                clock.instant());
        Invocations.invoke(handler(false), Invocations.json(event));
        assertThat(notifier.sent.get(0).facts().get("Failing check")).isEqualTo("database");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "events/alarm/sns-malformed-message.json",
                "events/snapshot/scheduler.json",
                "events/deploy/codedeploy-start.json"
            })
    void whatIsNotAnAlarmGetsOneNotificationAndNoRetry(String fixture) {
        JsonNode result = invoke(fixture);
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("NOT_UNDERSTOOD");
        assertThat(notifier.sent)
                .singleElement()
                .extracting(Notification::title)
                .isEqualTo("An alarm message could not be understood");
        assertThat(platform.actions).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"text\"", "{\"Records\": ", "null"})
    void evenNonObjectsAreAnsweredNotThrown(String payload) {
        JsonNode result = Invocations.invoke(handler(false), Invocations.json(payload));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("NOT_UNDERSTOOD");
    }

    private String cpu(String service, String state) {
        return snsAlarm(
                "kfood-" + service + "-cpu",
                "AWS/ECS",
                "CPUUtilization",
                Map.of("ClusterName", "kfood-cluster", "ServiceName", "kfood-" + service),
                state,
                clock.instant());
    }

    private JsonNode send(String event) {
        return Invocations.invoke(handler(false), Invocations.json(event));
    }

    @Test
    void oneIncidentFromAlarmToRecoveryWithItsTimeline() {
        Instant t0 = clock.instant();
        String alarm = snsAlarm(
                "kfood-ops-backend-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", Map.of(), "ALARM", t0);
        JsonNode first = send(alarm);
        String incident = first.at("/decisions/0/incident").asText();
        assertThat(incident).matches("INC-20261126-031300-[0-9a-f]{4}");
        // the same episode: a redelivery and a flap through INSUFFICIENT_DATA, each held back by a guard rail
        assertThat(send(alarm).at("/decisions/0/incident").asText()).isEqualTo(incident);
        clock.advance(Duration.ofMinutes(3));
        send(snsAlarm(
                "kfood-ops-backend-5xx",
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                Map.of(),
                "INSUFFICIENT_DATA",
                clock.instant()));
        clock.advance(Duration.ofMinutes(1));
        JsonNode flap = send(snsAlarm(
                "kfood-ops-backend-5xx",
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                Map.of(),
                "ALARM",
                clock.instant()));
        assertThat(flap.at("/decisions/0/outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(flap.at("/decisions/0/incident").asText()).isEqualTo(incident);
        incidents.add(
                incident,
                new com.kfood.ops.shared.incident.Incidents.Entry(
                        t0.plus(Duration.ofMinutes(6)),
                        "deployment-completed",
                        "deployment ecs-svc/1 completed in 5 min 2 s"));
        clock.set(t0.plus(Duration.ofMinutes(9)));
        JsonNode ok = send(snsAlarm(
                "kfood-ops-backend-5xx",
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                Map.of(),
                "OK",
                clock.instant()));

        assertThat(ok.at("/decisions/0/incident").asText()).isEqualTo(incident);
        Notification recovered = notifier.sent.getLast();
        assertThat(recovered.facts().get("Timeline"))
                .isEqualTo("t0 2026-11-26T03:13:00Z ALARM (from OK)  |  +0:00 new deployment ecs-svc/1 started  |  "
                        + "+4:00 ALARM (from OK)  |  +6:00 deployment ecs-svc/1 completed in 5 min 2 s  |  "
                        + "+9:00 OK");
        assertThat(recovered.facts().get("Time to recover")).isEqualTo("9 min (alarm to OK)");
        assertThat(recovered.facts().get("Suppressed during it"))
                .startsWith("2: ")
                .contains("a delivery of the same alarm change again")
                .contains("cooldown: the last remediation of this target was 4 min ago");
        assertThat(recovered.threadId()).isEqualTo(incident);
        assertThat(notifier.sent)
                .allSatisfy(n -> assertThat(n.facts().get("Incident")).isEqualTo(incident));

        clock.advance(Duration.ofHours(1));
        String next = send(snsAlarm(
                        "kfood-ops-backend-5xx",
                        "AWS/ApplicationELB",
                        "HTTPCode_Target_5XX_Count",
                        Map.of(),
                        "ALARM",
                        clock.instant()))
                .at("/decisions/0/incident")
                .asText();
        assertThat(next).isNotEqualTo(incident).startsWith("INC-20261126-042200-");
    }

    @Test
    void anUnreachableIncidentLogNeverStopsTheRemediation() {
        incidents.failWith = software.amazon.awssdk.services.s3.model.S3Exception.builder()
                .statusCode(503)
                .message("Slow Down")
                .build();
        JsonNode result = invoke("events/alarm/sns-backend-5xx-alarm.json");
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("EXECUTED");
        assertThat(result.at("/decisions/0/incident").isNull()).isTrue();
        assertThat(platform.actions).containsExactly("force kfood-backend");
    }

    @Test
    void underAutoscalingTheMinimumIsRaisedForABoundedTimeAndRestoredOnOk() {
        platform.scalable("kfood-frontend", 2, 10);
        JsonNode raised = send(cpu("frontend", "ALARM"));
        assertThat(raised.at("/decisions/0/outcome").asText()).isEqualTo("EXECUTED");
        assertThat(raised.at("/decisions/0/detail").asText())
                .startsWith("raised the autoscaling minimum of ecs:kfood-cluster/kfood-frontend from 2 to 3 tasks")
                .contains("returns to 2 on OK, or at 03:43 UTC");
        assertThat(platform.actions)
                .containsExactly("hold kfood-frontend min 3 until 2026-11-26T03:43:00Z then 2")
                .noneMatch(a -> a.startsWith("scale"));

        clock.advance(Duration.ofMinutes(12));
        send(cpu("frontend", "OK"));
        assertThat(platform.actions).last().isEqualTo("restore kfood-frontend min 2");
        assertThat(platform.scaling.get("kfood-frontend").min()).isEqualTo(2);
        assertThat(notifier.sent.getLast().facts().get("Autoscaling minimum"))
                .startsWith("restored from 3 to 2 on ecs:kfood-cluster/kfood-frontend");
    }

    @Test
    void aSecondHoldNeverTakesARaisedMinimumForTheOriginal() {
        platform.scalable("kfood-frontend", 2, 10);
        Remediation r = withoutCooldown();
        r.handle(AlarmParser.parse(Json.parseEmbedded(cpu("frontend", "ALARM")))
                .get(0)
                .alarm());
        platform.service("kfood-frontend", 3, null); // autoscaling reached the raised minimum
        clock.advance(Duration.ofMinutes(5));
        r.handle(AlarmParser.parse(Json.parseEmbedded(cpu("frontend", "INSUFFICIENT_DATA")))
                .get(0)
                .alarm());
        clock.advance(Duration.ofMinutes(1));
        r.handle(AlarmParser.parse(Json.parseEmbedded(cpu("frontend", "ALARM")))
                .get(0)
                .alarm());
        assertThat(platform.actions)
                .containsExactly(
                        "hold kfood-frontend min 3 until 2026-11-26T03:43:00Z then 2",
                        "hold kfood-frontend min 4 until 2026-11-26T03:49:00Z then 2");
    }

    @Test
    void atTheAutoscalingMaximumNothingIsTouchedAndAPersonIsCalled() {
        platform.scalable("kfood-frontend", 2, 10);
        platform.service("kfood-frontend", 10, null);
        JsonNode result = send(cpu("frontend", "ALARM"));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("AT_LIMIT");
        assertThat(result.at("/decisions/0/detail").asText())
                .isEqualTo("at the autoscaling maximum of 10; raising it needs a person");
        assertThat(platform.actions).isEmpty();
        Notification n = notifier.sent.getFirst();
        assertThat(n.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(n.title()).isEqualTo("kfood-frontend-cpu: at the autoscaling maximum, needs a person");
        assertThat(n.facts().get("Autoscaling")).isEqualTo("minimum 2, maximum 10");
        assertThat(n.nextSteps()).anyMatch(s -> s.contains("raise the autoscaling maximum by hand"));
        assertThat(metrics.sum("ActionsSuppressed")).isEqualTo(1);
    }

    @Test
    void aDryRunUnderAutoscalingRaisesNothing() {
        platform.scalable("kfood-frontend", 2, 10);
        JsonNode result = Invocations.invoke(handler(true), Invocations.json(cpu("frontend", "ALARM")));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("WOULD_EXECUTE");
        assertThat(result.at("/decisions/0/detail").asText())
                .isEqualTo("dry run: would raise the autoscaling minimum of ecs:kfood-cluster/kfood-frontend from 2"
                        + " to 3 tasks until 03:43 UTC");
        assertThat(platform.actions).isEmpty();
    }

    @Test
    void theServicesNewestErrorLinesComeWithTheAlarmAtMostFive() {
        for (int i = 1; i <= 8; i++) {
            platform.errorLines.add("ERROR line " + i);
        }
        invoke("events/alarm/sns-backend-5xx-alarm.json");
        Map<String, String> facts = notifier.sent.getFirst().facts();
        assertThat(facts.get("Error logs"))
                .isEqualTo("5 newest of 8 ERROR lines in /aws/kfood-shorts/kfood-backend in the 10 min before the"
                        + " alarm (numbers and tokens masked)");
        assertThat(facts).containsEntry("  1", "ERROR line 4").containsEntry("  5", "ERROR line 8");
        assertThat(facts).doesNotContainKey("  6");
    }

    @Test
    void withoutAnIncidentLogTheAlarmStillNamesItsEpisodeAndTheRecoverySaysNoMore() {
        Env env = TestOps.env("ALARM_PREFIXES", "kfood-");
        Remediation r = new Remediation(
                RemediationConfig.from(env),
                platform,
                com.kfood.ops.shared.incident.Incidents.none(),
                notifier,
                metrics,
                log,
                clock);
        OpsHandler h = OpsHandler.of(TestOps.of("AlarmRemediationFunction", env, clock, log, metrics), r);
        JsonNode alarm = Invocations.invoke(h, Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
        assertThat(alarm.at("/decisions/0/incident").asText()).startsWith("INC-20261126-031241-");
        JsonNode ok = Invocations.invoke(h, Invocations.event("events/alarm/sns-backend-5xx-ok.json"));
        assertThat(ok.at("/decisions/0/outcome").asText()).isEqualTo("RECOVERED");
        assertThat(notifier.sent.getLast().facts()).doesNotContainKey("Timeline");
    }

    @Test
    void aMinimumAPersonChangedDuringTheHoldSurvivesTheOk() {
        platform.scalable("kfood-frontend", 2, 10);
        send(cpu("frontend", "ALARM"));
        assertThat(platform.scaling.get("kfood-frontend").min()).isEqualTo(3);
        platform.personSetsMinimum("kfood-frontend", 6);

        clock.advance(Duration.ofMinutes(12));
        send(cpu("frontend", "OK"));

        assertThat(platform.scaling.get("kfood-frontend").min()).isEqualTo(6);
        assertThat(platform.scaling.get("kfood-frontend").hold())
                .as("the scheduled restore is gone too: it would undo the person's minimum later")
                .isNull();
        assertThat(platform.actions).last().isEqualTo("release kfood-frontend min 6");
        assertThat(notifier.sent.getLast().facts().get("Autoscaling minimum"))
                .startsWith("left the minimum a person set (6)");
    }

    @Test
    void anOkOlderThanTheEpisodesLatestAlarmChangesNothing() {
        platform.scalable("kfood-frontend", 2, 10);
        Instant t0 = clock.instant();
        String firstAlarm = cpu("frontend", "ALARM");
        clock.advance(Duration.ofMinutes(5));
        String ok = cpu("frontend", "OK");
        clock.advance(Duration.ofMinutes(5));
        String secondAlarm = cpu("frontend", "ALARM");
        clock.advance(Duration.ofMinutes(1));

        send(firstAlarm);
        send(secondAlarm); // delivered before the OK that came between them
        int sentBefore = notifier.sent.size();
        JsonNode late = send(ok);

        assertThat(late.at("/decisions/0/outcome").asText()).isEqualTo("STALE");
        assertThat(late.at("/decisions/0/detail").asText())
                .startsWith("late: an OK of " + t0.plus(Duration.ofMinutes(5)))
                .endsWith("nothing changed");
        assertThat(platform.actions).noneMatch(a -> a.startsWith("restore") || a.startsWith("release"));
        assertThat(platform.scaling.get("kfood-frontend").min()).isEqualTo(3);
        assertThat(incidents.latest("arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:kfood-frontend-cpu"))
                .hasValueSatisfying(i -> assertThat(i.isOpen()).isTrue());
        assertThat(notifier.sent).hasSize(sentBefore);
    }

    @Test
    void anAlarmOlderThanTheOkThatEndedItsEpisodeChangesNothing() {
        platform.scalable("kfood-frontend", 2, 10);
        String firstAlarm = cpu("frontend", "ALARM");
        clock.advance(Duration.ofMinutes(2));
        String lateAlarm = cpu("frontend", "ALARM"); // a second ALARM of the episode, delivered after its OK
        clock.advance(Duration.ofMinutes(10));
        String ok = cpu("frontend", "OK");
        Invocations.invoke(handlerWithoutCooldown(), Invocations.json(firstAlarm));
        Invocations.invoke(handlerWithoutCooldown(), Invocations.json(ok));
        int actions = platform.actions.size();
        int sent = notifier.sent.size();

        JsonNode late = Invocations.invoke(handlerWithoutCooldown(), Invocations.json(lateAlarm));

        assertThat(late.at("/decisions/0/outcome").asText()).isEqualTo("STALE");
        assertThat(platform.actions).hasSize(actions);
        assertThat(platform.scaling.get("kfood-frontend").min()).isEqualTo(2);
        assertThat(notifier.sent).hasSize(sent);
    }

    @Test
    void atTheMaximumARedeliveryDoesNotPageAgainAndTheCooldownDoesNotHideTheMaximum() {
        platform.scalable("kfood-frontend", 2, 10);
        platform.service("kfood-frontend", 4, null);
        send(cpu("frontend", "ALARM")); // an action: the cooldown starts
        clock.advance(Duration.ofMinutes(2));
        platform.service("kfood-frontend", 10, null);
        String atMax = cpu("frontend", "ALARM");

        JsonNode first = send(atMax);
        assertThat(first.at("/decisions/0/outcome").asText())
                .as("in cooldown, still reported at the maximum")
                .isEqualTo("AT_LIMIT");
        int sent = notifier.sent.size();
        JsonNode again = send(atMax);
        assertThat(again.at("/decisions/0/outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(notifier.sent).hasSize(sent);
        // the noted transition is no action: it counts for no cooldown and no cap
        Cooldown.History history = platform.services.get("kfood-frontend").history();
        assertThat(history.entries()).extracting(Cooldown.Entry::acted).containsExactly(true, false);
        assertThat(Cooldown.History.decode(history.encode())).isEqualTo(history);
    }

    @Test
    void theHourlyCapIsNeverMoreThanTheActionsTheTagKeeps() {
        assertThatThrownBy(() -> RemediationConfig.from(env("MAX_ACTIONS_PER_HOUR", String.valueOf(Cooldown.KEPT + 1))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("MAX_ACTIONS_PER_HOUR");
        Cooldown cap = new Cooldown(Duration.ZERO, Cooldown.KEPT);
        Cooldown.History h = new Cooldown.History(List.of());
        Instant now = clock.instant();
        for (int i = 0; i < Cooldown.KEPT + 3; i++) {
            h = h.plus(new Cooldown.Entry(now.plusSeconds(i), "t" + i, i % 4 != 3));
        }
        assertThat(cap.refusal(h, now.plusSeconds(60))).startsWith("cap: " + Cooldown.KEPT);
        assertThat(h.encode().length()).isLessThanOrEqualTo(256);
    }

    private OpsHandler handlerWithoutCooldown() {
        Env env = env("COOLDOWN_MINUTES", "0");
        Remediation r =
                new Remediation(RemediationConfig.from(env), platform, incidents, notifier, metrics, log, clock);
        return OpsHandler.of(TestOps.of("AlarmRemediationFunction", env, clock, log, metrics), r);
    }
}
