package com.kfood.ops.shared.backup;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Grandfather-father-son over one database's snapshots: a snapshot younger than its retention is a
 * daily; the first of each week (weeks begin on Sunday, so a Sunday snapshot when there is one) of
 * the last {@code weeks} weeks is a weekly; the first of each of the last {@code months} calendar
 * months is a monthly. Weeks and months are the calendar of {@code zone}. Pure: no AWS, no clock.
 */
public record RetentionTiers(int weeks, int months, ZoneId zone) {
    public enum Tier {
        DAILY,
        WEEKLY,
        MONTHLY;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A snapshot as the tiers see it: when it was taken, and the daily retention it was taken under. */
    public record Dated(String id, Instant created, int retentionDays) {}

    /** The tiers that keep each snapshot (an empty set: none does). */
    public Map<String, EnumSet<Tier>> keep(List<Dated> snapshots, Instant now) {
        Map<String, EnumSet<Tier>> out = new HashMap<>();
        for (Dated s : snapshots) {
            EnumSet<Tier> tiers = EnumSet.noneOf(Tier.class);
            if (Duration.between(s.created(), now).compareTo(Duration.ofDays(s.retentionDays())) <= 0) {
                tiers.add(Tier.DAILY);
            }
            out.put(s.id(), tiers);
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        if (weeks > 0) {
            LocalDate oldestWeek = weekOf(today).minusWeeks(weeks - 1L);
            firstOf(snapshots, this::weekOf).forEach((week, s) -> {
                if (!week.isBefore(oldestWeek)) {
                    out.get(s.id()).add(Tier.WEEKLY);
                }
            });
        }
        if (months > 0) {
            YearMonth oldestMonth = YearMonth.from(today).minusMonths(months - 1L);
            firstOf(snapshots, YearMonth::from).forEach((month, s) -> {
                if (!month.isBefore(oldestMonth)) {
                    out.get(s.id()).add(Tier.MONTHLY);
                }
            });
        }
        return out;
    }

    /**
     * How many snapshots one database keeps once the tiers are full: one snapshot a day at this
     * time of day, judged as the prune judges them, at least {@code floor}.
     */
    public int steadyState(int retentionDays, int floor, Instant now) {
        int days = Math.max(retentionDays, Math.max(7 * weeks, 31 * months)) + 62;
        List<Dated> daily = new ArrayList<>(days);
        for (int d = 0; d < days; d++) {
            // taken a little before the run that judges them, as the schedules have it
            daily.add(new Dated("day-" + d, now.minus(Duration.ofDays(d)).minus(Duration.ofHours(1)), retentionDays));
        }
        long kept = keep(daily, now).values().stream().filter(t -> !t.isEmpty()).count();
        return (int) Math.max(kept, floor);
    }

    private LocalDate weekOf(LocalDate day) {
        return day.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
    }

    private <K> Map<K, Dated> firstOf(List<Dated> snapshots, Function<LocalDate, K> period) {
        Map<K, Dated> first = new HashMap<>();
        snapshots.stream()
                .sorted(Comparator.comparing(Dated::created))
                .forEach(s ->
                        first.putIfAbsent(period.apply(s.created().atZone(zone).toLocalDate()), s));
        return first;
    }
}
