package com.kfood.ops.shared;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a {@link Notification} three ways: an SNS subject (ASCII, at most 100 characters), a
 * plain-text body for email, and the AWS Chatbot custom-notification JSON that Slack renders.
 */
public final class NotificationFormat {
    private static final int MAX_FIELD = 1000;
    /** Links are built from event fields (region, names): one that could break out of Slack's <url|label> is left out. */
    // https only, but for the local emulator's own address (the demo's report links)
    private static final Pattern SAFE_URL =
            Pattern.compile("(https://[A-Za-z0-9.-]+|http://(127\\.0\\.0\\.1|localhost):\\d{1,5})(/[^\\s<>|\"`]*)?");

    private NotificationFormat() {}

    /** {@code [SEVERITY] <stack>: <title>}: the function is named in the body, the subject stays short. */
    public static String subject(String source, Notification n) {
        String stack = source.contains("/") ? source.substring(0, source.indexOf('/')) : source;
        return Text.subject(n.severity().subjectPrefix() + " " + stack + ": " + n.title());
    }

    public static String email(String source, Notification n) {
        StringBuilder out = new StringBuilder();
        out.append(Text.printable(n.title(), 300)).append("\n\n");
        if (!n.summary().isBlank()) {
            out.append(Text.printable(n.summary(), 4000).replace("  ", "\n")).append("\n\n");
        }
        int width = n.facts().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, String> fact : n.facts().entrySet()) {
            out.append(String.format(
                    "  %-" + width + "s  %s%n", fact.getKey(), Text.printable(fact.getValue(), MAX_FIELD)));
        }
        if (!n.nextSteps().isEmpty()) {
            out.append("\nNext steps:\n");
            n.nextSteps()
                    .forEach(step -> out.append("  - ")
                            .append(Text.printable(step, MAX_FIELD))
                            .append('\n'));
        }
        if (!n.links().isEmpty()) {
            out.append('\n');
            n.links().forEach((label, url) -> {
                if (SAFE_URL.matcher(url).matches()) {
                    out.append(label).append(": ").append(url).append('\n');
                }
            });
        }
        out.append("\n-- ")
                .append(source)
                .append(" (")
                .append(Text.printable(n.kind(), 80))
                .append(")\n");
        return out.toString();
    }

    public static ObjectNode chatbot(String source, Notification n) {
        ObjectNode root = Json.object();
        root.put("version", "1.0");
        root.put("source", "custom");
        ObjectNode content = root.putObject("content");
        content.put("textType", "client-markdown");
        content.put("title", emoji(n.severity()) + " " + Text.markdownSafe(n.title(), 240));
        StringBuilder description = new StringBuilder();
        if (!n.summary().isBlank()) {
            description.append(Text.markdownSafe(n.summary(), 2000)).append('\n');
        }
        n.facts()
                .forEach((label, value) -> description
                        .append("*")
                        .append(Text.markdownSafe(label, 80))
                        .append(":* ")
                        .append(Text.markdownSafe(value, 300))
                        .append('\n'));
        n.links().forEach((label, url) -> {
            if (SAFE_URL.matcher(url).matches()) {
                description
                        .append("<")
                        .append(url)
                        .append("|")
                        .append(Text.markdownSafe(label, 80))
                        .append(">\n");
            }
        });
        content.put(
                "description",
                description.length() > 7900 ? description.substring(0, 7900) + "..." : description.toString());
        if (!n.nextSteps().isEmpty()) {
            ArrayNode steps = content.putArray("nextSteps");
            n.nextSteps().stream().limit(10).forEach(step -> steps.add(Text.markdownSafe(step, 300)));
        }
        // everything shown in Slack is escaped: kinds and titles can carry text from the event
        content.putArray("keywords").add(n.severity().name()).add(Text.markdownSafe(n.kind(), 80));
        ObjectNode metadata = root.putObject("metadata");
        if (n.threadId() != null) {
            metadata.put("threadId", Text.markdownSafe(n.threadId(), 200));
        }
        metadata.put("summary", Text.markdownSafe(n.title(), 240));
        metadata.put("eventType", Text.markdownSafe(n.kind(), 80));
        ObjectNode context = metadata.putObject("additionalContext");
        context.put("source", source);
        context.put("severity", n.severity().name());
        return root;
    }

    private static String emoji(Severity severity) {
        return switch (severity) {
            case INFO -> ":information_source:";
            case SUCCESS -> ":white_check_mark:";
            case WARNING -> ":warning:";
            case CRITICAL -> ":rotating_light:";
        };
    }
}
