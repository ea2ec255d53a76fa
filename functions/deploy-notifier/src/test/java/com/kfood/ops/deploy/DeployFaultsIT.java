package com.kfood.ops.deploy;

import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.testsupport.FaultProxy;
import com.kfood.ops.testsupport.FaultProxy.Fault;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deployment notifier through the fault proxy: throttled, failing and reset ECS, S3 and SNS
 * calls. Invariants: one notification per transition however often it is delivered, and a lookup
 * that fails costs facts, never the notification.
 */
@ExtendWith(MotoExtension.class)
class DeployFaultsIT {
    private DeployNotifierHandler handler(Moto moto, FaultProxy proxy, String attempts) {
        return new DeployNotifierHandler(moto.env(Map.of(
                "STACK_NAME",
                "kfood-ops",
                "STATE_BUCKET",
                DemoPlatform.STATE_BUCKET,
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "AWS_ENDPOINT_URL",
                proxy.endpoint().toString(),
                "AWS_MAX_ATTEMPTS",
                attempts)));
    }

    @Test
    void faultsOnEveryCallStillGiveExactlyOneNotificationPerTransition(Moto moto) throws Exception {
        moto.seedPlatform();
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> switch (call.sequence() % 4) {
                case 1 -> Fault.THROTTLE;
                case 2 -> call.service().equals("s3") ? Fault.RESET_AFTER : Fault.SERVER_ERROR;
                default -> Fault.NONE;
            });
            JsonNode first = Invocations.invoke(
                    handler(moto, proxy, "5"), Invocations.event("events/deploy/ecs-deployment-failed-rollback.json"));
            JsonNode again = Invocations.invoke(
                    handler(moto, proxy, "5"), Invocations.event("events/deploy/ecs-deployment-failed-rollback.json"));
            System.out.printf(
                    "reliability: deploy notifier under faults %s -> %s then %s%n",
                    proxy.injected(),
                    first.path("outcome").asText(),
                    again.path("outcome").asText());
            assertThat(first.path("outcome").asText()).isEqualTo("NOTIFIED");
            assertThat(again.path("outcome").asText()).isEqualTo("DUPLICATE");
            assertThat(moto.drain(NOTIFICATIONS_TOPIC)).hasSize(1);
        }
    }

    @Test
    void anEcsThatCannotBeReadStillLetsTheNotificationOut(Moto moto) throws Exception {
        moto.seedPlatform();
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> call.service().equals("ecs") ? Fault.SERVER_ERROR : Fault.NONE);
            JsonNode result = Invocations.invoke(
                    handler(moto, proxy, "2"), Invocations.event("events/deploy/ecs-deployment-completed.json"));
            assertThat(result.path("outcome").asText()).isEqualTo("NOTIFIED");
            assertThat(result.path("lookupErrors").get(0).asText()).contains("HTTP 500");
            assertThat(moto.drain(NOTIFICATIONS_TOPIC))
                    .singleElement()
                    .satisfies(n -> assertThat(n.description())
                            .contains("Not looked up")
                            .contains("HTTP 500"));
        }
    }
}
