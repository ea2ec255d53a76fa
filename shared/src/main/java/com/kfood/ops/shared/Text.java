package com.kfood.ops.shared;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Text that leaves the function: log lines, notification subjects and bodies. */
public final class Text {
    private Text() {}

    /** Words that name a credential, also inside a longer name ({@code DB_PASSWORD}, {@code client_secret}). */
    private static final String CREDENTIAL_WORD =
            "password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|authorization"
                    + "|cookie|session";

    /**
     * What may identify a person or open a door, in the order they are masked (the later ones would
     * split the earlier: a URL's password before the e-mail rule, an AWS secret key before long tokens).
     */
    private static final List<Map.Entry<Pattern, String>> MASKS = List.of(
            // postgres://user:secret@host, redis://:secret@host
            Map.entry(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]{0,30}://[^/\\s:@]{0,128}:)[^@\\s/]+@"), "$1<masked>@"),
            Map.entry(Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"), "<email>"),
            // KEY=value, "key": "value", key: Bearer value, wherever the word stands in the key (the
            // quantifiers bounded: a 256 KB log line costs linear time)
            Map.entry(
                    Pattern.compile("(?i)([A-Za-z0-9_.-]{0,40}(?:" + CREDENTIAL_WORD + ")[A-Za-z0-9_.-]{0,40})"
                            + "(\"?\\s*[:=]\\s*)(\"[^\"]*\"|(?:(?:bearer|basic)\\s+)?[^\\s,;\"&]+)"),
                    "$1$2<masked>"),
            Map.entry(
                    Pattern.compile("(?i)\\b(password|passwd|pwd|secret|token|api[_-]?key|authorization|bearer|cookie"
                            + "|session)(\\s+)[^\\s,;\"]+"),
                    "$1$2<masked>"),
            Map.entry(Pattern.compile("\\beyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+"), "<jwt>"),
            Map.entry(Pattern.compile("\\b(?:AKIA|ASIA|AROA|AIDA|ANPA|AGPA)[A-Z0-9]{16}\\b"), "<aws-key-id>"),
            // a secret access key: 40 characters of base64 with upper, lower and digits, "/" and "+" in it
            Map.entry(
                    Pattern.compile("(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+]{0,39}[A-Z])(?=[A-Za-z0-9/+]{0,39}[a-z])"
                            + "(?=[A-Za-z0-9/+]{0,39}[0-9])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
                    "<aws-secret>"),
            // a Korean resident registration number (YYMMDD-GNNNNNN) and phone numbers (+82 or 0)
            Map.entry(Pattern.compile("(?<!\\d)\\d{6}\\s?-\\s?[1-8]\\d{6}(?!\\d)"), "<rrn>"),
            Map.entry(
                    Pattern.compile("(?<![\\d+])(?:\\+82[-\\s.]?|0)(?:1[016789]|2|[3-6][1-5]|70)[-\\s.)]?\\d{3,4}"
                            + "[-\\s.]?\\d{4}(?!\\d)"),
                    "<phone>"),
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
     * A log line fit to quote in a notification or report: passwords in URLs, e-mail addresses,
     * credentials after any key that names one, JWTs, AWS access key ids and secret keys, resident
     * registration and phone numbers, UUIDs, long tokens and every number masked, then made printable
     * and cut.
     */
    public static String masked(String line, int max) {
        String out = window(line == null ? "" : line, max * 4 + 256);
        for (Map.Entry<Pattern, String> mask : MASKS) {
            out = mask.getKey().matcher(out).replaceAll(mask.getValue());
        }
        return printable(out.strip(), max);
    }

    /**
     * The start of a long line, enough for {@code max} characters once masked: a 256 KB log line is
     * not scanned whole. Cut at a space, so a secret the cut would split is left out, not half shown.
     */
    private static String window(String line, int size) {
        if (line.length() <= size) {
            return line;
        }
        int space = -1;
        for (int i = size; i > size / 2; i--) {
            if (Character.isWhitespace(line.charAt(i))) {
                space = i;
                break;
            }
        }
        return line.substring(0, space > 0 ? space : size) + " ...";
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
