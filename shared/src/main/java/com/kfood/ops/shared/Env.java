package com.kfood.ops.shared;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The function's environment, read once at init. Every getter fails with a {@link ConfigException}
 * naming the variable and what was wrong, so a misconfigured stack stops before any AWS call.
 * Backed by a plain map so tests and the local runtime can hand in their own.
 */
public record Env(Map<String, String> vars) {

    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\\d{12})?:(.+)");

    public Env {
        vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public static Env of(Map<String, String> vars) {
        return new Env(vars);
    }

    /** The value, trimmed, or empty when unset or blank. */
    public Optional<String> optional(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name + " is required but not set"));
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + Text.printable(raw.get(), 40) + "'");
        }
        if (value < min || value > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    /** A time zone by its name (UTC, Asia/Seoul...); a name Java does not know is a configuration error. */
    public ZoneId zone(String name, String fallback) {
        String value = string(name, fallback);
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new ConfigException(
                    name + " must be a time zone such as UTC or Asia/Seoul, got '" + Text.printable(value, 40) + "'");
        }
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default ->
                throw new ConfigException(name + " must be true or false, got '" + Text.printable(raw.get(), 40) + "'");
        };
    }

    /** A comma-separated list; blanks dropped, each element checked against {@code element}. */
    public List<String> list(String name, Pattern element, String what) {
        Optional<String> raw = optional(name);
        if (raw.isEmpty()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : raw.get().split(",")) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!element.matcher(trimmed).matches()) {
                throw new ConfigException(name + " has an invalid " + what + ": '" + Text.printable(trimmed, 80) + "'");
            }
            if (!items.contains(trimmed)) {
                items.add(trimmed);
            }
        }
        return List.copyOf(items);
    }

    /** An ARN of the given service, e.g. {@code arn(NOTIFY_TOPIC_ARN, "sns")}. */
    public Optional<String> arn(String name, String service) {
        Optional<String> raw = optional(name);
        raw.ifPresent(value -> {
            var m = ARN.matcher(value);
            if (!m.matches() || !m.group(1).equals(service)) {
                throw new ConfigException(name + " must be an " + service + " ARN (arn:aws:" + service
                        + ":<region>:<account>:...), got '" + Text.printable(value, 120) + "'");
            }
        });
        return raw;
    }

    public String requiredArn(String name, String service) {
        return arn(name, service).orElseThrow(() -> new ConfigException(name + " is required but not set"));
    }
}
