package com.kfood.ops.deploy;

import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoEvents;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.DemoTraffic;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.incident.S3Incidents;
import com.kfood.ops.testsupport.CallCounter;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Enrichment from moto's real ECS service and task definition; markers in moto's S3; the inbox. */
@ExtendWith(MotoExtension.class)
class DeployNotifierIT {
    private Moto moto;

    @BeforeEach
    void seed(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
    }

    private DeployNotifierHandler handler() {
        return new DeployNotifierHandler(moto.env(Map.of(
                "STACK_NAME",
                "kfood-ops",
                "STATE_BUCKET",
                DemoPlatform.STATE_BUCKET,
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC))));
    }

    @Test
    void aCompletedDeploymentIsEnrichedFromTheServiceAndItsTaskDefinition() {
        JsonNode result =
                Invocations.invoke(handler(), Invocations.event("events/deploy/ecs-deployment-completed.json"));

        assertThat(result.path("outcome").asText()).isEqualTo("NOTIFIED");
        assertThat(result.path("lookupErrors")).isEmpty();
        List<Inbox.Published> inbox = moto.drain(NOTIFICATIONS_TOPIC);
        assertThat(inbox).singleElement().satisfies(n -> {
            assertThat(n.subject()).isEqualTo("[OK] kfood-ops: kfood-backend deployed 3f9c2ab");
            assertThat(n.description())
                    .contains("kfood-backend:1")
                    .contains("2 running of 2 desired")
                    .contains("log-group/$252Faws$252Fkfood-shorts$252Fkfood-backend");
        });
    }

    @Test
    void aFailedDeploymentIsAnnouncedOnceThoughDeliveredTwice() {
        Invocations.invoke(handler(), Invocations.event("events/deploy/ecs-deployment-failed-rollback.json"));
        JsonNode again =
                Invocations.invoke(handler(), Invocations.event("events/deploy/ecs-deployment-failed-rollback.json"));

        assertThat(again.path("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(moto.drain(NOTIFICATIONS_TOPIC))
                .singleElement()
                .satisfies(
                        n -> assertThat(n.subject()).startsWith("[ALERT] kfood-ops: kfood-backend deployment FAILED"));
    }

    @Test
    void anUnknownServiceStillGetsItsNotification() {
        String event = new String(Invocations.event("events/deploy/ecs-deployment-completed.json"))
                .replace("kfood-backend", "kfood-payments");
        JsonNode result = Invocations.invoke(handler(), Invocations.json(event));
        assertThat(result.path("lookupErrors").get(0).asText()).contains("not found");
        assertThat(moto.drain(NOTIFICATIONS_TOPIC))
                .singleElement()
                .satisfies(n -> assertThat(n.subject()).contains("kfood-payments deployed"));
    }

    @Test
    void aTaskStopIsCheckedForADeploymentAndEnrichedWithOneServiceDescription() {
        CallCounter counter = new CallCounter();
        AwsClients aws = new AwsClients(moto.env(Map.of()), List.of(counter));
        Enricher enricher = new AwsEnricher(aws.build(EcsClient.builder(), "ECS"), DemoPlatform.CLUSTER, List.of());
        DeployEvent stop = DeployEvent.parse(Json.readEvent(
                new ByteArrayInputStream(Invocations.event("events/deploy/ecs-task-stopped-crash.json"))));

        boolean deploying = enricher.deploying(stop);
        Enrichment facts = enricher.enrich(stop);

        assertThat(deploying).isFalse();
        assertThat(facts.lookupErrors()).isEmpty();
        assertThat(counter.get("Ecs:DescribeServices")).isEqualTo(1);
        // a redelivered event is a new event: described afresh, never from an earlier invocation
        enricher.deploying(DeployEvent.parse(Json.readEvent(
                new ByteArrayInputStream(Invocations.event("events/deploy/ecs-task-stopped-crash.json")))));
        assertThat(counter.get("Ecs:DescribeServices")).isEqualTo(2);
    }

    @Test
    void theDeploymentARemediationStartedSaysSoAndEndsInTheIncidentsTimeline() {
        // what the remediation keeps when its UpdateService starts a deployment
        S3Incidents incidents = new S3Incidents(
                moto.aws().build(S3Client.builder().forcePathStyle(true), "S3"), DemoPlatform.STATE_BUCKET);
        var incident = incidents.open(
                "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:kfood-ops-backend-5xx", Instant.now());
        String event = DemoEvents.deployment(moto.aws(), DemoPlatform.CLUSTER, "kfood-backend", "COMPLETED");
        String deployment = Json.parseEmbedded(event).at("/detail/deploymentId").asText();
        incidents.linkDeployment(deployment, incident);

        Invocations.invoke(handler(), Invocations.json(event));

        assertThat(moto.drain(NOTIFICATIONS_TOPIC).getFirst().description())
                .startsWith("Started by remediation of kfood-ops-backend-5xx, incident " + incident.id() + ".");
        assertThat(incidents.timeline(incident.id()))
                .singleElement()
                .satisfies(e -> assertThat(e.text()).startsWith("deployment " + deployment + " completed"));
    }

    /** A deployment of {@code service} started {@code minutesAgo} with the load balancer's minutes around it. */
    private String deploymentWithTraffic(String service, boolean outage, int minutesAgo, int minutes) throws Exception {
        return new DemoTraffic(moto.aws())
                .deployment(service, outage, Duration.ofMinutes(minutesAgo), minutes, moto::rdsClockAgo);
    }

    @Test
    void aCleanDeploymentIsZeroDowntimeFromTheLoadBalancersOwnMetrics() throws Exception {
        JsonNode result =
                Invocations.invoke(handler(), Invocations.json(deploymentWithTraffic("kfood-frontend", false, 20, 8)));

        assertThat(result.path("outcome").asText()).isEqualTo("NOTIFIED");
        assertThat(moto.drain(NOTIFICATIONS_TOPIC)).singleElement().satisfies(n -> {
            assertThat(n.subject()).startsWith("[OK] kfood-ops: kfood-frontend deployed");
            assertThat(n.description()).contains("*Zero-downtime:* yes\n");
        });
    }

    @Test
    void aDeploymentWithFiveHundredsAndNoHealthyHostIsANoThatPagesWithItsNumbers() throws Exception {
        Invocations.invoke(handler(), Invocations.json(deploymentWithTraffic("kfood-backend", true, 12, 9)));

        assertThat(moto.drain(NOTIFICATIONS_TOPIC)).singleElement().satisfies(n -> {
            assertThat(n.subject()).startsWith("[ALERT] kfood-ops: kfood-backend deployment FAILED");
            assertThat(n.description())
                    .contains(
                            "no (12 target 5xx in minute 3 (the hour before at most 1 a minute), 40 load balancer 5xx in minute 4 (80 in 2 min),"
                                    + " healthy hosts 0 for 2 min from minute 4; unhealthy hosts up to 2 in minute 4)");
        });
    }

    @Test
    void aCodeDeployDeploymentIsFoundThroughTheTaskSetEcsRecordsForIt() {
        AwsClients aws = moto.aws();
        Enricher enricher =
                new AwsEnricher(aws.build(EcsClient.builder(), "ECS"), DemoPlatform.CLUSTER, DemoPlatform.SERVICES);
        DeployEvent success = DeployEvent.parse(
                Json.readEvent(new ByteArrayInputStream(Invocations.event("events/deploy/codedeploy-success.json"))));

        Placement p = enricher.placement(success);

        assertThat(p.unknown()).isNull();
        assertThat(p.startedAt()).isNotNull();
        assertThat(p.targetGroups()).singleElement().asString().contains(":targetgroup/kfood-backend-tg/");
        DeployEvent other = DeployEvent.parse(
                Json.parseEmbedded(new String(Invocations.event("events/deploy/codedeploy-success.json"))
                        .replace("d-7Q3XK2M9B", "d-NOTOURS00")));
        assertThat(enricher.placement(other).unknown())
                .isEqualTo("no task set of kfood-backend, kfood-frontend belongs to it");
    }
}
