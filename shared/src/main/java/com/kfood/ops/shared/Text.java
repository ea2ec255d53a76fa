package com.kfood.ops.shared;

/** Text that leaves the function: log lines, notification subjects and bodies. */
public final class Text {
    private Text() {}

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
