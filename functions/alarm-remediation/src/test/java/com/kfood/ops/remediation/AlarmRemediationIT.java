package com.kfood.ops.remediation;

import static com.kfood.ops.emulator.DemoPlatform.CLUSTER;
import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kfood.ops.emulator.DemoEvents;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.incident.S3Incidents;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.s3.S3Client;

/** The runbooks against moto's ECS and RDS: the service really changes, the guard rails really hold. */
@ExtendWith(MotoExtension.class)
class AlarmRemediationIT {
    private Moto moto;
    private EcsClient ecs;
    private ApplicationAutoScalingClient autoScaling;

    @BeforeEach
    void setUp(Moto moto) {
        this.moto = moto;
        ecs = moto.aws().build(EcsClient.builder(), "ECS");
        autoScaling = moto.aws().build(ApplicationAutoScalingClient.builder(), "APPLICATION_AUTO_SCALING");
    }

    private ScalableTarget frontendTarget() {
        return autoScaling
                .describeScalableTargets(b ->
                        b.serviceNamespace(ServiceNamespace.ECS).resourceIds("service/" + CLUSTER + "/kfood-frontend"))
                .scalableTargets()
                .getFirst();
    }

    private List<ScheduledAction> frontendHolds() {
        return autoScaling
                .describeScheduledActions(b ->
                        b.serviceNamespace(ServiceNamespace.ECS).resourceId("service/" + CLUSTER + "/kfood-frontend"))
                .scheduledActions();
    }

    /** What autoscaling itself would do to the service (the emulator never scales). */
    private void autoscalingSets(String service, int desired) {
        ecs.updateService(b -> b.cluster(CLUSTER).service(service).desiredCount(desired));
    }

    private JsonNode frontendCpu(AlarmRemediationHandler handler, String state) {
        return Invocations.invoke(
                handler,
                Invocations.json(DemoEvents.alarm(moto.aws(), DemoPlatform.FRONTEND_CPU_ALARM, state, "CPU " + state)));
    }

    private AlarmRemediationHandler handler(String... vars) {
        Map<String, String> env = new HashMap<>(Map.of(
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "STATE_BUCKET",
                DemoPlatform.STATE_BUCKET));
        for (int i = 0; i < vars.length; i += 2) {
            env.put(vars[i], vars[i + 1]);
        }
        return new AlarmRemediationHandler(moto.env(env));
    }

    private Service service(String name) {
        return ecs.describeServices(b -> b.cluster(CLUSTER).services(name))
                .services()
                .getFirst();
    }

    /** The fixture's 5xx alarm with another state-change time: a new transition of the same alarm. */
    private static byte[] fiveXxAt(String time) {
        JsonNode event = Json.parseEmbedded(new String(Invocations.event("events/alarm/sns-backend-5xx-alarm.json")));
        JsonNode message = Json.parseEmbedded(event.at("/Records/0/Sns/Message").asText());
        ((ObjectNode) message).put("StateChangeTime", time);
        ((ObjectNode) event.at("/Records/0/Sns")).put("Message", Json.write(message));
        return Invocations.json(event);
    }

    @Test
    void backend5xxForcesANewDeploymentAndTheGuardRailsHoldTheNextOnes() {
        moto.seedPlatform();
        moto.alarmState(DemoPlatform.BACKEND_5XX_ALARM, "ALARM");
        String before = service("kfood-backend").deployments().getFirst().id();

        JsonNode first = Invocations.invoke(handler(), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
        assertThat(first.at("/decisions/0/outcome").asText()).isEqualTo("EXECUTED");
        Service after = service("kfood-backend");
        assertThat(after.deployments().getFirst().id()).isNotEqualTo(before);
        var tags =
                ecs.listTagsForResource(b -> b.resourceArn(after.serviceArn())).tags();
        assertThat(tags).anySatisfy(t -> assertThat(t.key()).isEqualTo("kfood-ops:remediations"));

        JsonNode redelivered =
                Invocations.invoke(handler(), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
        assertThat(redelivered.at("/decisions/0/outcome").asText()).isEqualTo("DUPLICATE");

        JsonNode flap = Invocations.invoke(handler(), fiveXxAt("2026-11-26T03:15:41.087+0000"));
        assertThat(flap.at("/decisions/0/outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(flap.at("/decisions/0/detail").asText()).startsWith("cooldown:");
        assertThat(service("kfood-backend").deployments().getFirst().id())
                .isEqualTo(after.deployments().getFirst().id());

        List<Inbox.Published> inbox = moto.drain(NOTIFICATIONS_TOPIC);
        assertThat(inbox)
                .extracting(Inbox.Published::subject)
                .containsExactly(
                        "[WARN] kfood-ops: kfood-ops-backend-5xx: ecs-force-new-deployment done",
                        "[WARN] kfood-ops: kfood-ops-backend-5xx: ecs-force-new-deployment suppressed");
    }

    @Test
    void withoutAScalableTargetCpuHighSetsTheDesiredCount() {
        moto.seedPlatform();
        moto.alarmState(DemoPlatform.FRONTEND_CPU_ALARM, "ALARM");
        autoScaling.deregisterScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                .resourceId("service/" + CLUSTER + "/kfood-frontend"));
        String alarm = """
                {"source":"aws.cloudwatch","alarmArn":"arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:kfood-ops-frontend-cpu-high",
                 "time":"2026-11-26T05:00:00.000+0000","region":"ap-northeast-2","alarmData":{"alarmName":"kfood-ops-frontend-cpu-high",
                 "state":{"value":"ALARM","reason":"CPU above 80%","timestamp":"2026-11-26T05:00:00.000+0000"},
                 "previousState":{"value":"OK","timestamp":"2026-11-26T01:00:00.000+0000"},
                 "configuration":{"metrics":[{"id":"m1","metricStat":{"metric":{"namespace":"AWS/ECS","name":"CPUUtilization",
                 "dimensions":{"ClusterName":"kfood-cluster","ServiceName":"kfood-frontend"}},"period":60,"stat":"Average"}}]}}}""";
        JsonNode result = Invocations.invoke(handler(), Invocations.json(alarm));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("EXECUTED");
        assertThat(service("kfood-frontend").desiredCount()).isEqualTo(3);
        assertThat(service("kfood-backend").desiredCount()).isEqualTo(2);
    }

    @Test
    void nothingIsDoneWhileADeploymentIsInProgress() {
        moto.seedPlatform();
        moto.alarmState(DemoPlatform.BACKEND_5XX_ALARM, "ALARM");
        // a second backend service whose tasks have not all started: moto reports its rollout IN_PROGRESS
        ecs.deleteService(b -> b.cluster(CLUSTER).service("kfood-backend").force(true));
        String td = service("kfood-frontend").taskDefinition();
        ecs.createService(b -> b.cluster(CLUSTER)
                .serviceName("kfood-backend")
                .taskDefinition(td)
                .desiredCount(6)
                .launchType(LaunchType.FARGATE));

        JsonNode result = Invocations.invoke(handler(), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));

        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("SUPPRESSED");
        assertThat(result.at("/decisions/0/detail").asText()).contains("a deployment is in progress");
        assertThat(moto.drain(NOTIFICATIONS_TOPIC).getFirst().description()).contains("in progress");
    }

    @Test
    void aMessageForAnAlarmCloudWatchHoldsInOkChangesNothing() {
        moto.seedPlatform();
        moto.alarmState(DemoPlatform.BACKEND_5XX_ALARM, "OK"); // a replayed or forged ALARM message
        String before = service("kfood-backend").deployments().getFirst().id();

        JsonNode result = Invocations.invoke(handler(), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));

        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("NOT_CONFIRMED");
        assertThat(result.at("/decisions/0/detail").asText()).contains("CloudWatch has it in OK now");
        assertThat(result.at("/decisions/0/incident").isNull()).isTrue();
        assertThat(service("kfood-backend").deployments().getFirst().id()).isEqualTo(before);
        assertThat(moto.drain(NOTIFICATIONS_TOPIC))
                .extracting(Inbox.Published::subject)
                .containsExactly("[WARN] kfood-ops: kfood-ops-backend-5xx: not confirmed by CloudWatch, nothing done");
        // CloudWatch puts it in ALARM: the same message is acted on
        moto.alarmState(DemoPlatform.BACKEND_5XX_ALARM, "ALARM");
        JsonNode confirmed =
                Invocations.invoke(handler(), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
        assertThat(confirmed.at("/decisions/0/outcome").asText()).isEqualTo("EXECUTED");
    }

    @Test
    void dryRunLeavesTheServiceAlone() {
        moto.seedPlatform();
        moto.alarmState(DemoPlatform.BACKEND_5XX_ALARM, "ALARM");
        String before = service("kfood-backend").deployments().getFirst().id();
        JsonNode result = Invocations.invoke(
                handler("DRY_RUN", "true"), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("WOULD_EXECUTE");
        assertThat(service("kfood-backend").deployments().getFirst().id()).isEqualTo(before);
    }

    @Test
    void databaseConnectionFailureIsDiagnosedFromRdsAndCloudWatch() {
        moto.seedPlatform();
        JsonNode result =
                Invocations.invoke(handler(), Invocations.event("events/alarm/direct-db-connections-alarm.json"));
        assertThat(result.at("/decisions/0/action").asText()).isEqualTo("rds-diagnose");
        String text = moto.drain(NOTIFICATIONS_TOPIC).getFirst().description();
        assertThat(text).contains("status available").contains("Multi-AZ true").contains("RDS events");
    }

    @Test
    void aMissingServiceIsAFailureThatSaysSo() {
        CloudWatchClient cloudWatch = moto.aws().build(CloudWatchClient.builder(), "CLOUDWATCH");
        cloudWatch.putMetricAlarm(b -> b.alarmName(DemoPlatform.BACKEND_5XX_ALARM)
                .namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count")
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(3)
                .threshold(50.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        moto.alarmState(DemoPlatform.BACKEND_5XX_ALARM, "ALARM");
        JsonNode result = Invocations.invoke(handler(), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
        assertThat(result.at("/decisions/0/outcome").asText()).isIn("FAILED");
        assertThat(result.at("/decisions/0/notified").asBoolean())
                .isFalse(); // no topic either: said in the result and the log
    }

    @Test
    void underAutoscalingCpuHighRaisesTheMinimumForAWhileAndOkRestoresIt() {
        moto.seedPlatform();
        Instant before = Instant.now();
        JsonNode raised = frontendCpu(handler(), "ALARM");
        assertThat(raised.at("/decisions/0/outcome").asText()).isEqualTo("EXECUTED");
        assertThat(frontendTarget().minCapacity()).isEqualTo(3);
        assertThat(frontendTarget().maxCapacity()).isEqualTo(10);
        assertThat(service("kfood-frontend").desiredCount()).isEqualTo(2); // autoscaling's to change, not ours
        ScheduledAction restore = frontendHolds().getFirst();
        assertThat(restore.scalableTargetAction().minCapacity()).isEqualTo(2);
        Instant at = AwsPlatform.until(restore.schedule());
        assertThat(at)
                .isBetween(before.plus(Duration.ofMinutes(29)), Instant.now().plus(Duration.ofMinutes(31)));

        JsonNode ok = frontendCpu(handler(), "OK");
        assertThat(ok.at("/decisions/0/outcome").asText()).isEqualTo("RECOVERED");
        assertThat(frontendTarget().minCapacity()).isEqualTo(2);
        assertThat(frontendHolds()).isEmpty();
        String recovery = moto.drain(NOTIFICATIONS_TOPIC).getLast().description();
        assertThat(recovery).contains("restored from 3 to 2 on ecs:kfood-cluster/kfood-frontend");
        // the duration comes from the alarm's history (the emulator wrapper answers DescribeAlarmHistory)
        assertThat(recovery).containsPattern("Duration.*lasted \\d+ s \\(since ");
    }

    @Test
    void atTheAutoscalingMaximumNothingChangesAndAPersonIsCalled() {
        moto.seedPlatform();
        autoscalingSets("kfood-frontend", 10);
        JsonNode result = frontendCpu(handler(), "ALARM");
        assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("AT_LIMIT");
        assertThat(frontendTarget().minCapacity()).isEqualTo(2);
        assertThat(frontendHolds()).isEmpty();
        assertThat(service("kfood-frontend").desiredCount()).isEqualTo(10);
        assertThat(moto.drain(NOTIFICATIONS_TOPIC).getFirst().subject())
                .isEqualTo(
                        "[ALERT] kfood-ops: kfood-ops-frontend-cpu-high: at the autoscaling maximum, needs a person");
    }

    @Test
    void aScaleInByAutoscalingBetweenTwoAlarmsIsTheNewStartingPoint() {
        moto.seedPlatform();
        AlarmRemediationHandler handler = handler("COOLDOWN_MINUTES", "0");
        frontendCpu(handler, "ALARM");
        autoscalingSets("kfood-frontend", 3); // autoscaling meets the raised minimum
        frontendCpu(handler, "OK");
        assertThat(frontendTarget().minCapacity()).isEqualTo(2);
        autoscalingSets("kfood-frontend", 2); // and later scales in again

        frontendCpu(handler, "ALARM");
        assertThat(frontendTarget().minCapacity()).isEqualTo(3);
        assertThat(frontendHolds().getFirst().scalableTargetAction().minCapacity())
                .isEqualTo(2);

        // still held, the service at the raised minimum: a new alarm raises it further, the original stays 2
        autoscalingSets("kfood-frontend", 3);
        frontendCpu(handler, "INSUFFICIENT_DATA");
        frontendCpu(handler, "ALARM");
        assertThat(frontendTarget().minCapacity()).isEqualTo(4);
        assertThat(frontendHolds())
                .singleElement()
                .satisfies(
                        a -> assertThat(a.scalableTargetAction().minCapacity()).isEqualTo(2));
    }

    @Test
    void theAlarmCarriesTheServicesNewestErrorLinesMaskedAndBounded() {
        moto.seedPlatform();
        var logs = moto.aws().build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS");
        String group = DemoPlatform.LOG_GROUP_PREFIX + "kfood-backend";
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("app/kfood-backend/2"));
        List<InputLogEvent> lines = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            lines.add(InputLogEvent.builder()
                    .timestamp(Instant.now().minusSeconds(60 - i).toEpochMilli())
                    .message("ERROR order 7731" + i + " failed for jiwoo.park@example.com token=sk_live_51Hx" + i
                            + "q8Zr3 " + "x".repeat(400))
                    .build());
        }
        logs.putLogEvents(
                b -> b.logGroupName(group).logStreamName("app/kfood-backend/2").logEvents(lines));

        Invocations.invoke(
                handler(),
                Invocations.json(DemoEvents.alarm(moto.aws(), DemoPlatform.BACKEND_5XX_ALARM, "ALARM", "5xx")));

        String text = moto.drain(NOTIFICATIONS_TOPIC).getFirst().description();
        assertThat(text).contains("5 newest of 12 ERROR lines in /aws/kfood-shorts/kfood-backend");
        // the inbox holds the Chatbot text, in which "<" is written "&lt;"
        assertThat(text).contains("ERROR order # failed for &lt;email\\> token=&lt;masked\\>");
        assertThat(text).doesNotContain("jiwoo").doesNotContain("sk_live").doesNotContain("7731");
        assertThat(text.lines().filter(l -> l.contains("ERROR order")))
                .hasSize(5)
                .allSatisfy(l -> assertThat(l.length()).isLessThan(260));
    }

    @Test
    void theDeploymentARemediationStartsIsLinkedToItsIncident() {
        moto.seedPlatform();
        JsonNode result = Invocations.invoke(
                handler(),
                Invocations.json(DemoEvents.alarm(moto.aws(), DemoPlatform.BACKEND_5XX_ALARM, "ALARM", "5xx")));
        String incident = result.at("/decisions/0/incident").asText();
        String deployment = service("kfood-backend").deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .findFirst()
                .orElseThrow()
                .id();
        assertThat(result.at("/decisions/0/detail").asText()).contains(deployment);
        var incidents = new S3Incidents(
                moto.aws().build(S3Client.builder().forcePathStyle(true), "S3"), DemoPlatform.STATE_BUCKET);
        assertThat(incidents.byDeployment(deployment))
                .hasValueSatisfying(i -> assertThat(i.id()).isEqualTo(incident));
    }
}
