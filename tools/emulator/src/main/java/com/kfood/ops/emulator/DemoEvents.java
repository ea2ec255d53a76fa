package com.kfood.ops.emulator;

import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The events AWS would deliver for what happens in the emulator, which delivers none: an alarm's
 * state change as CloudWatch publishes it to SNS (after setting that state, so the alarm's history
 * has it), and an ECS deployment's state change as EventBridge carries it. The demo invokes the
 * functions with them, as AWS would.
 */
public final class DemoEvents {
    private static final DateTimeFormatter ALARM_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private DemoEvents() {}

    /** Sets the alarm's state and returns the SNS event of that change. */
    public static String alarm(AwsClients aws, String alarmName, String state, String reason) {
        CloudWatchClient cloudWatch = aws.build(CloudWatchClient.builder(), "CLOUDWATCH");
        MetricAlarm before = describe(cloudWatch, alarmName);
        cloudWatch.setAlarmState(b ->
                b.alarmName(alarmName).stateValue(StateValue.fromValue(state)).stateReason(reason));
        MetricAlarm after = describe(cloudWatch, alarmName);
        List<Map<String, Object>> dimensions = new ArrayList<>();
        after.dimensions().forEach(d -> dimensions.add(Map.of("value", d.value(), "name", d.name())));
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("MetricName", after.metricName());
        trigger.put("Namespace", after.namespace());
        trigger.put("StatisticType", "Statistic");
        trigger.put("Statistic", after.statisticAsString().toUpperCase(Locale.ROOT));
        trigger.put("Dimensions", dimensions);
        trigger.put("Period", after.period());
        trigger.put("EvaluationPeriods", after.evaluationPeriods());
        trigger.put("ComparisonOperator", after.comparisonOperatorAsString());
        trigger.put("Threshold", after.threshold());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("AlarmName", alarmName);
        message.put("AlarmDescription", after.alarmDescription());
        message.put("AWSAccountId", DemoPlatform.ACCOUNT);
        message.put("NewStateValue", state);
        message.put("NewStateReason", reason);
        message.put("StateChangeTime", ALARM_TIME.format(after.stateUpdatedTimestamp()));
        message.put("Region", "Asia Pacific (Seoul)");
        message.put("AlarmArn", after.alarmArn());
        message.put("OldStateValue", before.stateValueAsString());
        message.put("Trigger", trigger);
        String topic = DemoPlatform.topicArn(DemoPlatform.ALARMS_TOPIC);
        Map<String, Object> sns = new LinkedHashMap<>();
        sns.put("Type", "Notification");
        sns.put("MessageId", UUID.randomUUID().toString());
        sns.put("TopicArn", topic);
        sns.put("Subject", state + ": \"" + alarmName + "\" in Asia Pacific (Seoul)");
        sns.put("Message", Json.write(message));
        sns.put("Timestamp", Instant.now().toString());
        return Json.write(Map.of(
                "Records",
                List.of(Map.of(
                        "EventSource",
                        "aws:sns",
                        "EventVersion",
                        "1.0",
                        "EventSubscriptionArn",
                        topic + ":" + UUID.randomUUID(),
                        "Sns",
                        sns))));
    }

    private static MetricAlarm describe(CloudWatchClient cloudWatch, String alarmName) {
        return cloudWatch.describeAlarms(b -> b.alarmNames(alarmName)).metricAlarms().stream()
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no alarm named " + alarmName + " in the emulator"));
    }

    /**
     * The "ECS Deployment State Change" of the service's primary deployment: {@code IN_PROGRESS},
     * {@code COMPLETED} or {@code FAILED}.
     */
    public static String deployment(AwsClients aws, String cluster, String service, String state) {
        return deployment(aws, cluster, service, state, Instant.now());
    }

    /** As {@link #deployment(AwsClients, String, String, String)}, for a state change at {@code now}. */
    public static String deployment(AwsClients aws, String cluster, String service, String state, Instant now) {
        EcsClient ecs = aws.build(EcsClient.builder(), "ECS");
        Service s = ecs.describeServices(b -> b.cluster(cluster).services(service)).services().stream()
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + cluster + "/" + service));
        Deployment primary = s.deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(service + " has no primary deployment"));
        String name = "SERVICE_DEPLOYMENT_" + state;
        return Json.write(Map.of(
                "version",
                "0",
                "id",
                UUID.randomUUID().toString(),
                "detail-type",
                "ECS Deployment State Change",
                "source",
                "aws.ecs",
                "account",
                DemoPlatform.ACCOUNT,
                "time",
                now.toString(),
                "region",
                DemoPlatform.REGION,
                "resources",
                List.of(s.serviceArn()),
                "detail",
                Map.of(
                        "eventType",
                        "FAILED".equals(state) ? "ERROR" : "INFO",
                        "eventName",
                        name,
                        "deploymentId",
                        primary.id(),
                        "updatedAt",
                        now.toString(),
                        "reason",
                        "ECS deployment " + primary.id() + " "
                                + state.toLowerCase(Locale.ROOT).replace('_', ' ') + ".")));
    }
}
