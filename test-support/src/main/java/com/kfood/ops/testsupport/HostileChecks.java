package com.kfood.ops.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.NotificationFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What must hold after any event, however hostile: one JSON object per log line, no secret anywhere, safe notifications. */
public final class HostileChecks {
    /** Put into the environment of every property test; it must never be seen again. */
    public static final String SECRET = "SECRET-never-logged-7f3a";

    private HostileChecks() {}

    public static void logsAreSafe(ByteArrayOutputStream logs) {
        String text = logs.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains(SECRET), "a secret reached the logs");
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                assertNotNull(
                        Json.parseEmbedded(line),
                        () -> "a log line is not one JSON object: " + line.substring(0, Math.min(200, line.length())));
            }
        }
    }

    public static void notificationsAreSafe(List<Notification> sent, int atMost) {
        assertTrue(sent.size() <= atMost, () -> sent.size() + " notifications for one event");
        for (Notification n : sent) {
            String subject = NotificationFormat.subject("kfood-ops/test", n);
            assertTrue(
                    subject.length() <= 100 && subject.chars().allMatch(c -> c >= 0x20 && c < 0x7f),
                    () -> "unsafe subject: " + subject);
            String chatbot = Json.write(NotificationFormat.chatbot("kfood-ops/test", n));
            assertFalse(chatbot.contains(SECRET));
            assertFalse(chatbot.contains("<!channel>"), "Slack markup from an event reached a notification");
            assertEquals(-1, NotificationFormat.email("kfood-ops/test", n).indexOf('\u0000'));
        }
    }
}
