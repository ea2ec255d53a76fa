package com.kfood.ops.shared;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes to an SNS topic with a message per protocol: the Chatbot JSON as the default (HTTPS
 * subscriptions such as Chatbot, SQS) and readable text for email subscribers.
 */
public final class SnsNotifier implements Notifier {
    private final SnsClient sns;
    private final String topicArn;
    private final String source;
    private final OpsLog log;

    public SnsNotifier(SnsClient sns, String topicArn, String source, OpsLog log) {
        this.sns = sns;
        this.topicArn = topicArn;
        this.source = source;
        this.log = log;
    }

    @Override
    public void prime() {
        sns.publish(b -> b.topicArn(topicArn)
                .subject("priming")
                .messageStructure("json")
                .message(Json.write(Map.of("default", "priming", "email", "priming"))));
    }

    @Override
    public boolean send(Notification n) {
        ObjectNode message = Json.object();
        message.put("default", Json.write(NotificationFormat.chatbot(source, n)));
        message.put("email", NotificationFormat.email(source, n));
        try {
            String id = sns.publish(b -> b.topicArn(topicArn)
                            .subject(NotificationFormat.subject(source, n))
                            .messageStructure("json")
                            .message(Json.write(message))
                            .messageAttributes(Map.of(
                                    "severity",
                                            MessageAttributeValue.builder()
                                                    .dataType("String")
                                                    .stringValue(n.severity().name())
                                                    .build(),
                                    "kind",
                                            MessageAttributeValue.builder()
                                                    .dataType("String")
                                                    .stringValue(n.kind())
                                                    .build())))
                    .messageId();
            log.info(
                    "notification sent",
                    "kind",
                    n.kind(),
                    "severity",
                    n.severity().name(),
                    "messageId",
                    id);
            return true;
        } catch (SdkException e) {
            log.error("notification not sent", "kind", n.kind(), "topic", topicArn, "error", Errors.describe(e));
            return false;
        }
    }
}
