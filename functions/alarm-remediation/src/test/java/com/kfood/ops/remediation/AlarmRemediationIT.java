package com.kfood.ops.remediation;

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

/** AlarmRemediationFunction over real HTTP against moto. */
@ExtendWith(MotoExtension.class)
class AlarmRemediationIT {
    @Test
    void anAlarmFromSnsIsExplainedInTheNotificationsTopic(Moto moto) {
        moto.seedPlatform();
        var handler = new AlarmRemediationHandler(moto.env(Map.of("STACK_NAME", "kfood-ops",
                "NOTIFY_TOPIC_ARN", DemoPlatform.topicArn(NOTIFICATIONS_TOPIC))));

        JsonNode result = Invocations.invoke(handler, Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));

        assertThat(result.at("/decisions/0/alarm").asText()).isEqualTo("kfood-ops-backend-5xx");
        assertThat(moto.drain(NOTIFICATIONS_TOPIC)).singleElement()
                .satisfies(n -> assertThat(n.subject()).contains("kfood-ops-backend-5xx is ALARM"));
    }
}
