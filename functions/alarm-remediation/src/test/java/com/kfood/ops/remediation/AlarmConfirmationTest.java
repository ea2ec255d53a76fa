package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MemoryIncidents;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import com.kfood.ops.testsupport.TestOps;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;

/**
 * A message on the alarms topic is a claim: an action waits for CloudWatch to hold the alarm, one of
 * the stack's, in ALARM now. Anything else is "not confirmed": nothing done, no episode opened.
 */
class AlarmConfirmationTest {
    private static final String ALARM = "kfood-ops-frontend-cpu";
    private static final String ARN = "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:" + ALARM;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T03:13:00Z"));
    private final RemediationTest.FakePlatform platform = new RemediationTest.FakePlatform();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final MemoryIncidents incidents = new MemoryIncidents();

    AlarmConfirmationTest() {
        platform.service("kfood-frontend", 2, null);
        platform.scalable("kfood-frontend", 2, 10);
    }

    private JsonNode send(String name, String state, String... vars) {
        return deliver(
                RemediationTest.snsAlarm(
                        name,
                        "AWS/ECS",
                        "CPUUtilization",
                        Map.of("ClusterName", "kfood-cluster", "ServiceName", "kfood-frontend"),
                        state,
                        clock.instant()),
                vars);
    }

    private JsonNode deliver(String event, String... vars) {
        Env env = RemediationTest.env(vars);
        RecordingMetrics metrics = new RecordingMetrics();
        OpsLog log = new OpsLog("AlarmRemediationFunction", clock, new PrintStream(OutputStream.nullOutputStream()));
        Remediation r =
                new Remediation(RemediationConfig.from(env), platform, incidents, notifier, metrics, log, clock);
        OpsHandler handler = OpsHandler.of(TestOps.of("AlarmRemediationFunction", env, clock, log, metrics), r);
        return Invocations.invoke(handler, Invocations.json(event)).at("/decisions/0");
    }

    private void nothingDone(JsonNode decision, String why) {
        assertThat(decision.path("outcome").asText()).isEqualTo("NOT_CONFIRMED");
        assertThat(decision.path("detail").asText()).contains(why).endsWith("nothing done");
        assertThat(platform.actions).isEmpty();
        assertThat(incidents.latest(ARN)).isEmpty();
        assertThat(notifier.sent).singleElement().satisfies(n -> {
            assertThat(n.title()).isEqualTo(ALARM + ": not confirmed by CloudWatch, nothing done");
            assertThat(n.nextSteps()).anyMatch(s -> s.contains("only CloudWatch should"));
        });
    }

    @Test
    void anAlarmCloudWatchHoldsInAlarmIsActedOn() {
        JsonNode d = send(ALARM, "ALARM");

        assertThat(d.path("outcome").asText()).isEqualTo("EXECUTED");
        assertThat(platform.alarmsRead).containsExactly(ALARM);
        assertThat(platform.actions).singleElement().asString().startsWith("hold kfood-frontend");
    }

    @Test
    void aForgedMessageForAnAlarmCloudWatchDoesNotHaveChangesNothing() {
        platform.alarms.put(ALARM, null);

        nothingDone(send(ALARM, "ALARM"), "CloudWatch has no such alarm");
    }

    @Test
    void anAlarmThatIsNoLongerInAlarmChangesNothing() {
        platform.alarms.put(ALARM, new Platform.AlarmNow(ALARM, ARN, "OK"));

        nothingDone(send(ALARM, "ALARM"), "CloudWatch has it in OK now, not ALARM");
    }

    @Test
    void anAlarmOfAnotherAccountOrRegionChangesNothing() {
        platform.alarms.put(ALARM, new Platform.AlarmNow(ALARM, ARN.replace("123456789012", "210987654321"), "ALARM"));

        nothingDone(send(ALARM, "ALARM"), "another alarm ARN");
    }

    @Test
    void anAlarmOutsideTheConfiguredPrefixesIsNotEvenLookedUp() {
        JsonNode d = send(ALARM, "ALARM", "ALARM_PREFIXES", "kfood-shorts-,kfood-ops-backend-");

        nothingDone(d, "not one of this stack's alarms (kfood-shorts-, kfood-ops-backend-*)");
        assertThat(platform.alarmsRead).isEmpty();
    }

    @Test
    void whenCloudWatchCannotBeAskedNothingIsDoneAndThePageSaysWhy() {
        platform.alarmsFailWith = CloudWatchException.builder()
                .statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .serviceName("CloudWatch")
                        .errorCode("InternalFailure")
                        .build())
                .build();

        JsonNode d = send(ALARM, "ALARM");

        assertThat(d.path("outcome").asText()).isEqualTo("FAILED");
        assertThat(d.path("detail").asText()).startsWith("could not confirm the alarm with CloudWatch");
        assertThat(platform.actions).isEmpty();
        assertThat(incidents.latest(ARN)).isEmpty();
    }

    @Test
    void okAndNotifyOnlyMessagesNeedNoConfirmation() {
        platform.alarms.put(ALARM, null);

        assertThat(send(ALARM, "OK").path("outcome").asText()).isNotEqualTo("NOT_CONFIRMED");
        String lambdaErrors = RemediationTest.snsAlarm(
                "kfood-ops-function-errors", "AWS/Lambda", "Errors", Map.of(), "ALARM", clock.instant());
        assertThat(deliver(lambdaErrors).path("outcome").asText()).isEqualTo("NOTIFIED");
        assertThat(platform.alarmsRead).isEmpty();
    }

    @Test
    void thePrefixesDefaultToTheStacksAndTakeNoWildcard() {
        Env stack = TestOps.env("STACK_NAME", "kfood-ops-prod");
        assertThat(RemediationConfig.from(stack).alarmPrefixes()).isEqualTo(List.of("kfood-ops-prod-"));
        assertThatThrownBy(() -> RemediationConfig.from(TestOps.env("ALARM_PREFIXES", "kfood-*")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ALARM_PREFIXES");
        assertThatThrownBy(() -> RemediationConfig.from(TestOps.env()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("STACK_NAME");
    }
}
