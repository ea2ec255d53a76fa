package com.kfood.ops.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * The platform's secrets rotate: rotation on, the last rotation younger than the limit, no
 * rotation left half-done. Read with DescribeSecret only: no secret's value is ever read for this.
 */
final class SecretRotation {
    private final UpkeepReads upkeep;
    private final UpkeepLimits limits;
    private final Instant now;

    SecretRotation(UpkeepReads upkeep, UpkeepLimits limits, Instant now) {
        this.upkeep = upkeep;
        this.limits = limits;
        this.now = now;
    }

    List<Item> items() {
        if (limits.secretIds().isEmpty()) {
            return List.of(Item.of(
                    "secrets' rotation", "not read (no secret configured: PLATFORM_SECRET_ARNS is empty)", Verdict.OK));
        }
        return limits.secretIds().stream().map(this::item).toList();
    }

    private Item item(String id) {
        String shortId = id.substring(id.lastIndexOf(':') + 1);
        try {
            return judged(upkeep.secret(id));
        } catch (RuntimeException e) {
            return Item.unavailable("secret " + shortId, Problems.describe(e));
        }
    }

    private Item judged(DescribeSecretResponse s) {
        String label = "secret " + s.name();
        long maxDays = limits.secretMaxAge().toDays();
        if (s.deletedDate() != null) {
            return Item.of(label, "scheduled for deletion on " + day(s.deletedDate()), Verdict.ACT);
        }
        Optional<Instant> last = Optional.ofNullable(s.lastRotatedDate());
        long age = last.map(t -> Duration.between(t, now).toDays()).orElse(-1L);
        boolean on = Boolean.TRUE.equals(s.rotationEnabled());
        boolean unfinished = unfinished(s.versionIdsToStages());
        String value;
        Verdict v;
        if (!on) {
            value = "rotation off"
                    + last.map(t -> " (last rotated " + age + " days ago)").orElse(", never rotated");
            v = Verdict.WATCH;
        } else if (unfinished) {
            value = "the last rotation did not finish: a version is still AWSPENDING (read the rotation function's log)"
                    + last.map(t -> "; last completed " + age + " days ago").orElse("");
            v = Verdict.WATCH;
        } else if (last.isEmpty()) {
            value = "rotation on, never rotated yet";
            v = Verdict.WATCH;
        } else {
            value = "rotation on, last rotated " + (age == 0 ? "today" : age + " days ago")
                    + Optional.ofNullable(s.nextRotationDate())
                            .map(n -> n.isBefore(now) ? "; next was due " + day(n) : "; next " + day(n))
                            .orElse("");
            v = age > maxDays ? Verdict.WATCH : Verdict.OK;
        }
        return new Item(label, value, "", v, "limit " + maxDays + " days", null)
                .number("rotationEnabled", on)
                .number("daysSinceRotation", age)
                .number("rotationUnfinished", unfinished);
    }

    /** A version staged AWSPENDING without AWSCURRENT: a rotation that started and never finished. */
    static boolean unfinished(Map<String, List<String>> stages) {
        return stages.values().stream().anyMatch(s -> s.contains("AWSPENDING") && !s.contains("AWSCURRENT"));
    }

    private static String day(Instant t) {
        return t.toString().substring(0, 10);
    }
}
