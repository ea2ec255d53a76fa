package com.kfood.ops.deploy;

import static com.kfood.ops.local.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.local.DemoPlatform;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DeployNotifierFunction over real HTTP against moto: the notification arrives in the topic's inbox. */
@ExtendWith(MotoExtension.class)
class DeployNotifierIT {
    @Test
    void aFailedDeploymentIsAnnouncedLoudly(Moto moto) {
        moto.seedPlatform();
        var handler = new DeployNotifierHandler(moto.env(Map.of("STACK_NAME", "kfood-ops",
                "NOTIFY_TOPIC_ARN", DemoPlatform.topicArn(NOTIFICATIONS_TOPIC))));

        JsonNode result = Invocations.invoke(handler, Invocations.event("events/deploy/ecs-deployment-failed-rollback.json"));

        assertThat(result.path("notified").asBoolean()).isTrue();
        assertThat(moto.drain(NOTIFICATIONS_TOPIC)).singleElement()
                .satisfies(n -> assertThat(n.subject()).startsWith("[ALERT]").contains("SERVICE_DEPLOYMENT_FAILED"));
    }
}
