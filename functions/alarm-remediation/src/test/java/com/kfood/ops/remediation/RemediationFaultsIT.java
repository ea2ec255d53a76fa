package com.kfood.ops.remediation;

import static com.kfood.ops.emulator.DemoPlatform.CLUSTER;
import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoEvents;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.testsupport.FaultProxy;
import com.kfood.ops.testsupport.FaultProxy.Fault;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScheduledAction;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Remediation through the fault proxy. Invariants: one action per alarm transition however the
 * calls fail and are retried, and no notification says an action was done when it was not.
 */
@ExtendWith(MotoExtension.class)
class RemediationFaultsIT {
    private Moto moto;
    private EcsClient ecs;

    @BeforeEach
    void seed(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
        moto.alarmState(DemoPlatform.BACKEND_5XX_ALARM, "ALARM");
        ecs = moto.aws().build(EcsClient.builder(), "ECS");
    }

    private AlarmRemediationHandler handler(FaultProxy proxy, String attempts) {
        return new AlarmRemediationHandler(moto.env(Map.of(
                "STACK_NAME",
                "kfood-ops",
                "NOTIFY_TOPIC_ARN",
                DemoPlatform.topicArn(NOTIFICATIONS_TOPIC),
                "STATE_BUCKET",
                DemoPlatform.STATE_BUCKET,
                "AWS_ENDPOINT_URL",
                proxy.endpoint().toString(),
                "AWS_MAX_ATTEMPTS",
                attempts)));
    }

    private String deploymentId() {
        return ecs.describeServices(b -> b.cluster(CLUSTER).services("kfood-backend"))
                .services()
                .getFirst()
                .deployments()
                .getFirst()
                .id();
    }

    @Test
    void throttledAndResetCallsAreRetriedAndTheActionHappensOnce() throws Exception {
        String before = deploymentId();
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> switch (call.sequence() % 4) {
                case 1 -> Fault.THROTTLE;
                case 2 -> call.service().equals("ecs") ? Fault.RESET : Fault.SERVER_ERROR;
                default -> Fault.NONE;
            });
            JsonNode first = Invocations.invoke(
                    handler(proxy, "5"), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
            JsonNode redelivered = Invocations.invoke(
                    handler(proxy, "5"), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));
            System.out.printf(
                    "reliability: remediation under faults %s -> %s then %s%n",
                    proxy.injected(),
                    first.at("/decisions/0/outcome").asText(),
                    redelivered.at("/decisions/0/outcome").asText());

            assertThat(first.at("/decisions/0/outcome").asText()).isEqualTo("EXECUTED");
            assertThat(redelivered.at("/decisions/0/outcome").asText()).isEqualTo("DUPLICATE");
            assertThat(deploymentId()).isNotEqualTo(before);
            String arn = ecs.describeServices(b -> b.cluster(CLUSTER).services("kfood-backend"))
                    .services()
                    .getFirst()
                    .serviceArn();
            String history = ecs.listTagsForResource(b -> b.resourceArn(arn)).tags().stream()
                    .filter(t -> t.key().equals(Cooldown.TAG))
                    .findFirst()
                    .orElseThrow()
                    .value();
            assertThat(Cooldown.History.decode(history).entries()).hasSize(1);
        }
    }

    @Test
    void anActionThatCannotBeDoneIsNeverReportedAsDone() throws Exception {
        String before = deploymentId();
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> call.operation().equals("UpdateService") ? Fault.SERVER_ERROR : Fault.NONE);
            JsonNode result = Invocations.invoke(
                    handler(proxy, "3"), Invocations.event("events/alarm/sns-backend-5xx-alarm.json"));

            assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("FAILED");
            assertThat(deploymentId()).isEqualTo(before);
            List<Inbox.Published> inbox = moto.drain(NOTIFICATIONS_TOPIC);
            assertThat(inbox).singleElement().satisfies(n -> {
                assertThat(n.subject()).startsWith("[ALERT]").endsWith("FAILED").doesNotContain("done");
                assertThat(n.description())
                        .contains("could not force a new deployment")
                        .contains("HTTP 500");
            });
        }
    }

    @Test
    void aDiagnosisWhoseReadsFailStillTellsWhatItCouldAndWhatItCouldNot() throws Exception {
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            proxy.plan(call -> call.operation().equals("DescribeEvents")
                            || call.operation().equals("GetMetricData")
                    ? Fault.SERVER_ERROR
                    : call.sequence() % 3 == 0 ? Fault.THROTTLE : Fault.NONE);
            JsonNode result = Invocations.invoke(
                    handler(proxy, "3"), Invocations.event("events/alarm/direct-db-connections-alarm.json"));
            System.out.printf(
                    "reliability: rds-diagnose under faults %s -> %s%n",
                    proxy.injected(), result.at("/decisions/0/outcome").asText());

            assertThat(result.at("/decisions/0/action").asText()).isEqualTo("rds-diagnose");
            assertThat(result.at("/decisions/0/notified").asBoolean()).isTrue();
            String text = moto.drain(NOTIFICATIONS_TOPIC).getFirst().description();
            assertThat(text)
                    .contains("status available")
                    .contains("unavailable: ")
                    .contains("HTTP 500");
        }
    }

    @Test
    void aHoldWhoseRaiseFailedLeavesOnlyTheScheduledRestoreAndTheRecoveryClearsIt() throws Exception {
        ApplicationAutoScalingClient autoScaling =
                moto.aws().build(ApplicationAutoScalingClient.builder(), "APPLICATION_AUTO_SCALING");
        String alarm = DemoEvents.alarm(moto.aws(), DemoPlatform.FRONTEND_CPU_ALARM, "ALARM", "CPU above 85 %");
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            // the function dies between the two calls, as far as AWS can tell: the raise never lands
            proxy.plan(call -> call.operation().equals("RegisterScalableTarget") ? Fault.SERVER_ERROR : Fault.NONE);
            JsonNode result = Invocations.invoke(handler(proxy, "1"), Invocations.json(alarm));
            assertThat(result.at("/decisions/0/outcome").asText()).isEqualTo("FAILED");
        }
        var target = autoScaling
                .describeScalableTargets(b ->
                        b.serviceNamespace(ServiceNamespace.ECS).resourceIds("service/" + CLUSTER + "/kfood-frontend"))
                .scalableTargets()
                .getFirst();
        assertThat(target.minCapacity()).isEqualTo(2);
        // what would restore the minimum had the raise landed: a restore to the original, never lower
        assertThat(scheduled(autoScaling))
                .singleElement()
                .satisfies(
                        a -> assertThat(a.scalableTargetAction().minCapacity()).isEqualTo(2));

        String ok = DemoEvents.alarm(moto.aws(), DemoPlatform.FRONTEND_CPU_ALARM, "OK", "CPU back under 85 %");
        try (FaultProxy proxy = new FaultProxy(moto.emulator().endpoint())) {
            Invocations.invoke(handler(proxy, "2"), Invocations.json(ok));
        }
        assertThat(scheduled(autoScaling)).isEmpty();
    }

    private static List<ScheduledAction> scheduled(ApplicationAutoScalingClient autoScaling) {
        return autoScaling
                .describeScheduledActions(b ->
                        b.serviceNamespace(ServiceNamespace.ECS).resourceId("service/" + CLUSTER + "/kfood-frontend"))
                .scheduledActions();
    }
}
