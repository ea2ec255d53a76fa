package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class NotificationFormatTest {
    private final Notification n = Notification.builder(
                    Severity.CRITICAL, "backup.snapshot", "Backup failed for kfood-db")
            .summary("RDS refused the snapshot.")
            .fact("kfood-db", "FAILED kfood-ops-kfood-db-20261125-1800 - SnapshotQuotaExceeded")
            .fact("ignored", null)
            .nextStep("Run PruneFunction")
            .link("RDS console", "https://console.aws.amazon.com/rds/home?region=ap-northeast-2")
            .thread("backup-2026-11-25")
            .build();

    @Test
    void subjectCarriesSeverityAndSource() {
        assertThat(NotificationFormat.subject("kfood-ops/SnapshotFunction", n))
                .isEqualTo("[ALERT] kfood-ops: Backup failed for kfood-db");
    }

    @Test
    void emailIsPlainTextWithFactsStepsAndLinks() {
        String email = NotificationFormat.email("kfood-ops/SnapshotFunction", n);
        assertThat(email)
                .startsWith("Backup failed for kfood-db\n\nRDS refused the snapshot.")
                .contains("kfood-db  FAILED kfood-ops-kfood-db-20261125-1800")
                .contains("Next steps:\n  - Run PruneFunction")
                .contains("RDS console: https://console.aws.amazon.com/rds/")
                .doesNotContain("ignored");
    }

    @Test
    void chatbotJsonFollowsTheCustomNotificationSchema() {
        JsonNode json = NotificationFormat.chatbot("kfood-ops/SnapshotFunction", n);
        assertThat(json.path("version").asText()).isEqualTo("1.0");
        assertThat(json.path("source").asText()).isEqualTo("custom");
        assertThat(json.path("content").path("textType").asText()).isEqualTo("client-markdown");
        assertThat(json.path("content").path("title").asText())
                .isEqualTo(":rotating_light: Backup failed for kfood-db");
        assertThat(json.path("content").path("description").asText()).contains("*kfood-db:* FAILED");
        assertThat(json.path("content").path("nextSteps").get(0).asText()).isEqualTo("Run PruneFunction");
        assertThat(json.path("metadata").path("threadId").asText()).isEqualTo("backup-2026-11-25");
        assertThat(json.path("metadata").path("eventType").asText()).isEqualTo("backup.snapshot");
    }

    @Test
    void eventTextCannotInjectSlackMarkup() {
        Notification hostile = Notification.builder(Severity.WARNING, "alarm.notify", "<!channel> *x*")
                .fact("k", "<http://a|b>")
                .build();
        JsonNode json = NotificationFormat.chatbot("s", hostile);
        assertThat(json.path("content").path("title").asText()).doesNotContain("<!channel>");
        assertThat(json.path("content").path("description").asText()).doesNotContain("<http://a|b>");
    }

    @Test
    void aLinkBuiltFromEventTextThatCouldBreakOutIsLeftOut() {
        Notification n = Notification.builder(Severity.INFO, "deploy.x", "t")
                .link("ECS service", "https://<!channel>.console.aws.amazon.com/ecs")
                .link(
                        "Logs",
                        "https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#logsV2:log-groups")
                .build();
        String description = NotificationFormat.chatbot("s", n)
                .path("content")
                .path("description")
                .asText();
        assertThat(description).doesNotContain("<!channel>").contains("|Logs>");
        assertThat(NotificationFormat.email("s", n))
                .doesNotContain("<!channel>")
                .contains("Logs: https://");
    }
}
