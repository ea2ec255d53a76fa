package com.kfood.ops.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * Whether the platform's log groups are alive: each group's newest event against how long it may
 * be silent (an hour for the services, longer where configured for a quiet group). A silent group's
 * ERROR lines are "not measured", never a reassuring zero: a dead log router writes no errors.
 */
final class LogLiveness {
    /** Past its limit a group is worth a look; this much longer, a person must act. */
    static final Duration ACT_AFTER = Duration.ofDays(1);

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    /** One group's answer; {@code newest} empty when it holds no event; {@code problem} when unread. */
    record Group(String name, Optional<Instant> newest, Duration silence, Duration allowed, Optional<String> problem) {
        boolean silent() {
            return problem.isEmpty() && silence.compareTo(allowed) > 0;
        }

        Verdict verdict() {
            return problem.isPresent()
                    ? Verdict.UNKNOWN
                    : silence.compareTo(allowed.plus(ACT_AFTER)) > 0
                            ? Verdict.ACT
                            : silent() ? Verdict.WATCH : Verdict.OK;
        }
    }

    private final UpkeepReads upkeep;
    private final UpkeepLimits limits;
    private final Instant now;

    LogLiveness(UpkeepReads upkeep, UpkeepLimits limits, Instant now) {
        this.upkeep = upkeep;
        this.limits = limits;
        this.now = now;
    }

    /** Each group's newest event (one DescribeLogStreams a group); a group with none counts from its creation. */
    List<Group> judge(List<LogGroup> groups) {
        return groups.stream().map(this::judge).toList();
    }

    private Group judge(LogGroup group) {
        String name = group.logGroupName();
        Duration allowed = limits.silenceAllowed(name);
        try {
            Optional<Instant> newest = upkeep.newestEvent(name);
            Instant since = newest.orElseGet(
                    () -> group.creationTime() == null ? Instant.EPOCH : Instant.ofEpochMilli(group.creationTime()));
            return new Group(name, newest, Duration.between(since, now), allowed, Optional.empty());
        } catch (RuntimeException e) {
            return new Group(name, Optional.empty(), Duration.ZERO, allowed, Optional.of(Problems.describe(e)));
        }
    }

    /** The one line for all groups: how many are alive, against which limit. */
    Item summary(List<Group> groups) {
        long silent = groups.stream().filter(Group::silent).count();
        long unread = groups.stream().filter(g -> g.problem().isPresent()).count();
        return Item.of(
                        "log groups alive",
                        (groups.size() - silent - unread) + " of " + groups.size()
                                + (silent > 0 ? " (" + silent + " silent)" : "")
                                + (unread > 0 ? " (" + unread + " unread)" : ""),
                        silent > 0 ? Verdict.WATCH : unread > 0 ? Verdict.UNKNOWN : Verdict.OK)
                .number("logGroups", groups.size())
                .number("silentLogGroups", silent);
    }

    /** A silent or unread group's ERROR line: not measured, and since when. */
    Item item(Group g, ZoneId zone) {
        String label = "ERROR lines in " + g.name();
        if (g.problem().isPresent()) {
            return Item.unavailable(
                    label, "its newest event is unreadable: " + g.problem().get());
        }
        String since = g.newest()
                .map(t -> "no events since " + SHOWN.format(t.atZone(zone)) + " (" + Format.hours(hours(g.silence()))
                        + " ago)")
                .orElse("no events ever (created " + Format.hours(hours(g.silence())) + " ago)");
        return new Item(
                        label,
                        "not measured: " + since,
                        "",
                        g.verdict(),
                        "allowed silence " + Format.hours(hours(g.allowed())),
                        null)
                .number("silentHours", Math.round(hours(g.silence()) * 10) / 10.0);
    }

    private static double hours(Duration d) {
        return d.toMinutes() / 60.0;
    }
}
