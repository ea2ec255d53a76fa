package com.kfood.ops.shared;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Text that leaves the function: log lines, notification subjects and bodies. */
public final class Text {
    private Text() {}

    /** What may identify a person or open a door, in the order they are masked (the later ones would split the earlier). */
    private static final List<Map.Entry<Pattern, String>> MASKS = List.of(
            Map.entry(Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"), "<email>"),
            Map.entry(
                    Pattern.compile(
                            "(?i)\\b(password|passwd|pwd|secret|token|api[_-]?key|authorization|bearer|cookie|session)"
                                    + "(\"?\\s*[:=]\\s*\"?|\\s+)[^\\s,;\"]+"),
                    "$1$2<masked>"),
            Map.entry(Pattern.compile("\\beyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+"), "<jwt>"),
            Map.entry(
                    Pattern.compile(
                            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b"),
                    "<id>"),
            // long runs of letters and digits mixed (keys, hashes, session ids), not across "/": a path stays readable
            Map.entry(
                    Pattern.compile("\\b(?=[A-Za-z0-9_-]*\\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}=*"),
                    "<token>"),
            Map.entry(Pattern.compile("\\d+"), "#"));

    /**
     * A log line fit to quote in a notification or report: e-mail addresses, credentials after
     * their key word, JWTs, UUIDs, long tokens and every number masked, then made printable and cut.
     */
    public static String masked(String line, int max) {
        String out = line == null ? "" : line;
        for (Map.Entry<Pattern, String> mask : MASKS) {
            out = mask.getKey().matcher(out).replaceAll(mask.getValue());
        }
        return printable(out.strip(), max);
    }

    /** Control characters folded to spaces, cut to {@code max} characters with an ellipsis. */
    public static String printable(String value, int max) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max + 3));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c);
        }
        if (value.length() > max) {
            out.append("...");
        }
        return out.toString();
    }

    /**
     * An SNS subject: printable ASCII only, one line, at most 100 characters (SNS rejects anything
     * else and the whole publish fails with it).
     */
    public static String subject(String value) {
        StringBuilder out = new StringBuilder();
        boolean space = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean printable = c >= 0x21 && c <= 0x7e;
            if (printable) {
                if (space && !out.isEmpty()) {
                    out.append(' ');
                }
                out.append(c);
                space = false;
            } else {
                space = true;
            }
        }
        String s = out.isEmpty() ? "kfood-ops notification" : out.toString();
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }

    /** Defuses Slack markdown in text that came from an event: mentions, links and formatting. */
    public static String markdownSafe(String value, int max) {
        String s = printable(value, max);
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '*', '_', '~', '`', '>', '[', ']', '|' -> out.append('\\').append(c);
                case '<' -> out.append("&lt;");
                case '&' -> out.append("&amp;");
                case '@' -> out.append("@\u200b");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
