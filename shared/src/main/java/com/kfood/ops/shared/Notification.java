package com.kfood.ops.shared;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a function tells the team. {@code facts} are label/value lines (a table in email, fields in
 * Slack), {@code nextSteps} what the reader should do, {@code links} label to URL. Text from events
 * is sanitised when rendered, not here.
 *
 * @param kind     a stable event type, e.g. "backup.snapshot"; Chatbot uses it to thread and filter
 * @param threadId messages with the same id are threaded together in Slack (e.g. the alarm's ARN)
 */
public record Notification(
        Severity severity,
        String kind,
        String title,
        String summary,
        Map<String, String> facts,
        List<String> nextSteps,
        Map<String, String> links,
        String threadId) {

    public Notification {
        // a stable identifier (an SNS message attribute, a Slack keyword), whatever event text it was built from
        kind = kind == null ? "unknown" : kind.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
        kind = kind.length() > 64 ? kind.substring(0, 64) : kind;
        facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        nextSteps = nextSteps == null ? List.of() : List.copyOf(nextSteps);
        links = links == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(links));
    }

    public static Builder builder(Severity severity, String kind, String title) {
        return new Builder(severity, kind, title);
    }

    public static final class Builder {
        private final Severity severity;
        private final String kind;
        private final String title;
        private String summary = "";
        private final Map<String, String> facts = new LinkedHashMap<>();
        private final List<String> nextSteps = new ArrayList<>();
        private final Map<String, String> links = new LinkedHashMap<>();
        private String threadId;

        private Builder(Severity severity, String kind, String title) {
            this.severity = severity;
            this.kind = kind;
            this.title = title;
        }

        public Builder summary(String summary) {
            this.summary = summary;
            return this;
        }

        public Builder fact(String label, Object value) {
            if (value != null) {
                facts.put(label, String.valueOf(value));
            }
            return this;
        }

        public Builder nextStep(String step) {
            nextSteps.add(step);
            return this;
        }

        public Builder link(String label, String url) {
            links.put(label, url);
            return this;
        }

        public Builder thread(String threadId) {
            this.threadId = threadId;
            return this;
        }

        public Notification build() {
            return new Notification(severity, kind, title, summary, facts, nextSteps, links, threadId);
        }
    }
}
