package com.kfood.ops.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Json;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Reads what was published to a topic from its SQS inbox (and removes it: an inbox, read once). */
public final class Inbox {
    /** One published notification: the SNS subject and the Chatbot JSON message. */
    public record Published(String topic, String subject, JsonNode message, String raw) {
        public String title() {
            return message == null ? "" : message.path("content").path("title").asText();
        }

        public String description() {
            return message == null
                    ? raw
                    : message.path("content").path("description").asText();
        }
    }

    private final SqsClient sqs;

    public Inbox(AwsClients aws) {
        this.sqs = aws.build(SqsClient.builder(), "SQS");
    }

    public List<Published> drain(String topic) {
        String url =
                sqs.getQueueUrl(b -> b.queueName(DemoPlatform.inboxName(topic))).queueUrl();
        List<Published> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(
                            b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return out;
            }
            for (Message m : batch) {
                JsonNode envelope = Json.parseEmbedded(m.body());
                String body =
                        envelope == null ? m.body() : envelope.path("Message").asText();
                String subject =
                        envelope == null ? "" : envelope.path("Subject").asText();
                out.add(new Published(topic, subject, Json.parseEmbedded(body), body));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }
}
