package com.kfood.ops.deploy;

import static com.kfood.ops.local.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.local.DemoPlatform;
import com.kfood.ops.local.Inbox;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Json;
import com.kfood.ops.testsupport.CallCounter;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ecs.EcsClient;

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
                    .contains("log-group/$252Fecs$252Fkfood-backend");
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
        Enricher enricher =
                new EcsEnricher(new AwsClients(moto.env(Map.of()), List.of(counter)).build(EcsClient.builder(), "ECS"));
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
}
