package com.kfood.ops.remediation;

import static com.kfood.ops.local.DemoPlatform.CLUSTER;
import static com.kfood.ops.local.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kfood.ops.local.DemoPlatform;
import com.kfood.ops.local.Inbox;
import com.kfood.ops.shared.Json;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.Service;

/** The runbooks against moto's ECS and RDS: the service really changes, the guard rails really hold. */
@ExtendWith(MotoExtension.class)
class AlarmRemediationIT {
    private Moto moto;
    private EcsClient ecs;

    @BeforeEach
    void setUp(Moto moto) {
        this.moto = moto;
        ecs = moto.aws().build(EcsClient.builder(), "ECS");
    }

    private AlarmRemediationHandler handler(String... vars) {
        Map<String, String> env = new HashMap<>(
                Map.of("STACK_NAME", "kfood-ops", "NOTIFY_TOPIC_ARN", DemoPlatform.topicArn(NOTIFICATIONS_TOPIC)));
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
    void cpuHighScalesTheServiceOut() {
        moto.seedPlatform();
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
    void dryRunLeavesTheServiceAlone() {
        moto.seedPlatform();
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
        JsonNode result = Invocations.invoke(handler(), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
        assertThat(result.at("/decisions/0/outcome").asText()).isIn("FAILED");
        assertThat(result.at("/decisions/0/notified").asBoolean())
                .isFalse(); // no topic either: said in the result and the log
    }
}
