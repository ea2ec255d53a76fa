package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.shared.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AlarmParserTest {
    private static AlarmChange one(Object event) {
        List<AlarmParser.Parsed> parsed = AlarmParser.parse(Json.tree(event));
        assertThat(parsed).hasSize(1);
        assertThat(parsed.get(0).problem()).isNull();
        return parsed.get(0).alarm();
    }

    @ParameterizedTest
    @Event(value = "events/alarm/sns-backend-5xx-alarm.json", type = Map.class)
    void snsAlarmWithNullsAndLowercaseDimensions(Map<String, Object> event) {
        AlarmChange a = one(event);
        assertThat(a.name()).isEqualTo("kfood-ops-backend-5xx");
        assertThat(a.newState()).isEqualTo("ALARM");
        assertThat(a.oldState()).isEqualTo("OK");
        assertThat(a.description()).isNull();
        assertThat(a.changedAt()).isEqualTo(Instant.parse("2026-11-26T03:12:41.087Z"));
        assertThat(a.region()).isEqualTo("ap-northeast-2");
        assertThat(a.metrics()).singleElement().satisfies(m -> {
            assertThat(m.namespace()).isEqualTo("AWS/ApplicationELB");
            assertThat(m.stat()).isEqualTo("Sum");
            assertThat(m.dimensions()).containsEntry("TargetGroup", "targetgroup/kfood-backend/6d0ecf831eec9f09");
        });
        assertThat(a.threshold()).isEqualTo(50.0);
        assertThat(a.delivery()).isEqualTo(AlarmChange.Delivery.SNS);
    }

    @ParameterizedTest
    @Event(value = "events/alarm/sns-metric-math-insufficient-data.json", type = Map.class)
    void metricMathAlarmListsEveryMetricItReads(Map<String, Object> event) {
        AlarmChange a = one(event);
        assertThat(a.name()).isEqualTo("kfood-ops [backend] error rate %");
        assertThat(a.newState()).isEqualTo("INSUFFICIENT_DATA");
        assertThat(a.metrics())
                .extracting(AlarmChange.MetricRef::name)
                .containsExactly("HTTPCode_Target_5XX_Count", "RequestCount");
    }

    @ParameterizedTest
    @Event(value = "events/alarm/direct-db-connections-alarm.json", type = Map.class)
    void directAlarmActionEvent(Map<String, Object> event) {
        AlarmChange a = one(event);
        assertThat(a.arn())
                .isEqualTo("arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:kfood-ops-db-connection-failure");
        assertThat(a.dimension("DBInstanceIdentifier")).isEqualTo("kfood-db");
        assertThat(a.previousStateSince()).isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
        assertThat(a.delivery()).isEqualTo(AlarmChange.Delivery.ALARM_ACTION);
    }

    @ParameterizedTest
    @Event(value = "events/alarm/direct-composite-alarm.json", type = Map.class)
    void compositeAlarmHasARuleAndNoMetric(Map<String, Object> event) {
        AlarmChange a = one(event);
        assertThat(a.metrics()).isEmpty();
        assertThat(a.compositeRule()).contains("ALARM(kfood-ops-backend-5xx)");
    }

    @ParameterizedTest
    @Event(value = "events/alarm/sns-malformed-message.json", type = Map.class)
    void truncatedMessageIsAProblemNotAnException(Map<String, Object> event) {
        List<AlarmParser.Parsed> parsed = AlarmParser.parse(Json.tree(event));
        assertThat(parsed)
                .singleElement()
                .satisfies(p -> assertThat(p.problem()).startsWith("SNS message is not JSON"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"Records\": []}",
                "{\"Records\": [{}]}",
                "{\"Records\": [{\"Sns\": {\"Message\": 42}}]}",
                "{\"Records\": [{\"Sns\": {\"Message\": \"{\\\"default\\\": \\\"hello\\\"}\"}}]}",
                "{\"source\": \"aws.cloudwatch\"}",
                "{\"source\": \"aws.cloudwatch\", \"alarmData\": {\"alarmName\": 5}}",
                "{\"source\": \"aws.ecs\", \"detail\": {}}"
            })
    void anythingElseIsAProblem(String event) throws Exception {
        assertThat(AlarmParser.parse(Mapper.get().readTree(event))).allSatisfy(p -> {
            assertThat(p.alarm()).isNull();
            assertThat(p.problem()).isNotBlank();
        });
    }

    @Test
    void realWorldVariantsAllParse() throws Exception {
        JsonNode base = Mapper.get()
                .readTree(getClass().getClassLoader().getResourceAsStream("events/alarm/sns-backend-5xx-alarm.json"));
        String message = base.at("/Records/0/Sns/Message").asText();
        String[] names = {"kfood backend [prod] 5xx (ALB)", "알람-백엔드", "a\"quoted\"name", "x".repeat(255)};
        for (String name : names) {
            ObjectNode m = (ObjectNode) Mapper.get().readTree(message);
            m.put("AlarmName", name);
            m.putNull("AlarmDescription");
            m.put("StateChangeTime", "2026-11-26T03:12:41.087+0000");
            ((ObjectNode) m.get("Trigger")).put("TreatMissingData", "");
            ((ObjectNode) m.get("Trigger")).putNull("Unit");
            ((ObjectNode) m.get("Trigger")).remove("Dimensions");
            ObjectNode event = base.deepCopy();
            ((ObjectNode) event.at("/Records/0/Sns")).put("Message", Json.write(m));
            AlarmChange a = one(event);
            assertThat(a.name()).isEqualTo(name);
            assertThat(a.metrics().get(0).dimensions()).isEmpty();
        }
    }

    @Test
    void cloudWatchTimestampsWithAndWithoutMillis() {
        assertThat(AlarmParser.time("2026-11-26T03:12:41.087+0000"))
                .isEqualTo(Instant.parse("2026-11-26T03:12:41.087Z"));
        assertThat(AlarmParser.time("2026-11-26T03:12:41Z")).isEqualTo(Instant.parse("2026-11-26T03:12:41Z"));
        assertThat(AlarmParser.time("yesterday")).isNull();
    }
}
