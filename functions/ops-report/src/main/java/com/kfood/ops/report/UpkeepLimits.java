package com.kfood.ops.report;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Text;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What "up to date" and "alive" mean for the report: HIGH image findings tolerated, the secrets
 * whose rotation is checked and its longest interval, the runtime's announced deprecation, and how
 * long a log group may be silent (per group where a quiet one needs longer).
 *
 * @param secretIds the platform's secrets by ARN (without or with Secrets Manager's suffix) or name
 * @param functionName this function, whose runtime the stack's functions share (Lambda sets it)
 */
record UpkeepLimits(
        String region,
        int highFindingsMax,
        List<String> secretIds,
        Duration secretMaxAge,
        Optional<String> functionName,
        Optional<LocalDate> runtimeDeprecation,
        Duration logSilence,
        Map<String, Duration> logSilenceOverrides) {

    private static final Pattern SECRET =
            Pattern.compile("(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:)?[A-Za-z0-9/_+=.@-]{1,512}");
    private static final Pattern OVERRIDE = Pattern.compile("(/[A-Za-z0-9_./#-]{1,511})=([0-9]{1,4})h");

    UpkeepLimits {
        secretIds = List.copyOf(secretIds);
        logSilenceOverrides = Map.copyOf(logSilenceOverrides);
    }

    static UpkeepLimits from(Env env) {
        return new UpkeepLimits(
                env.string("AWS_REGION", "ap-northeast-2"),
                env.integer("IMAGE_HIGH_FINDINGS_MAX", 10, 0, 10_000),
                env.list("PLATFORM_SECRET_ARNS", SECRET, "secret ARN or name"),
                Duration.ofDays(env.integer("ROTATION_MAX_DAYS", 90, 1, 3650)),
                env.optional("AWS_LAMBDA_FUNCTION_NAME").filter(s -> !s.isBlank()),
                env.optional("RUNTIME_DEPRECATION_DATE")
                        .filter(s -> !s.isBlank())
                        .map(UpkeepLimits::date),
                Duration.ofMinutes(env.integer("LOG_SILENCE_MINUTES", 60, 5, 1440)),
                overrides(env.optional("LOG_SILENCE_OVERRIDES").orElse("")));
    }

    /** How long this group may go without an event. */
    Duration silenceAllowed(String group) {
        return logSilenceOverrides.getOrDefault(group, logSilence);
    }

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigException(
                    "RUNTIME_DEPRECATION_DATE must be a date (YYYY-MM-DD), got '" + Text.printable(value, 20) + "'");
        }
    }

    /** "/aws/kfood-shorts/batch=48h,/aws/kfood-shorts/cron=168h": a log group's name and its hours. */
    static Map<String, Duration> overrides(String raw) {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (String part : raw.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            var m = OVERRIDE.matcher(item);
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 8760) {
                throw new ConfigException("LOG_SILENCE_OVERRIDES takes log-group=HOURSh (1 to 8760), e.g. "
                        + "/aws/kfood-shorts/batch=48h, got '" + Text.printable(item, 80) + "'");
            }
            out.put(m.group(1), Duration.ofHours(Integer.parseInt(m.group(2))));
        }
        return out;
    }
}
