package com.kfood.ops.care;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which partitions a parent needs, by the plan's naming ({@code user_interactions_2024_01} for a
 * month, {@code ..._2024_01_15} for a day), with period boundaries at midnight in the configured
 * zone. Pure: the existing partitions' ranges come in, the missing ones and the horizon go out.
 */
final class PartitionPlanner {
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy_MM_dd");

    /** An existing partition's range [from, to). */
    record Range(String name, Instant from, Instant to) {}

    /** A partition to create: its name and its range [from, to) as wall times in the zone. */
    record Planned(String name, ZonedDateTime from, ZonedDateTime to) {}

    private PartitionPlanner() {}

    /** This period's partition and the next {@code ahead}, those no existing range covers. */
    static List<Planned> missing(PartitionSpec spec, ZoneId zone, Instant now, List<Range> existing) {
        List<Planned> out = new ArrayList<>();
        ZonedDateTime start = periodStart(spec.period(), now.atZone(zone).toLocalDate(), zone);
        for (int i = 0; i <= spec.ahead(); i++) {
            ZonedDateTime end = next(spec.period(), start);
            Instant s = start.toInstant();
            if (existing.stream().noneMatch(r -> !r.from().isAfter(s) && r.to().isAfter(s))) {
                out.add(new Planned(name(spec, start), start, end));
            }
            start = end;
        }
        return out;
    }

    /** How far ahead of {@code now} the partitions reach without a gap (zero when now has none). */
    static Duration horizon(Instant now, List<Range> existing) {
        Instant reach = now;
        List<Range> sorted =
                existing.stream().sorted(Comparator.comparing(Range::from)).toList();
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Range r : sorted) {
                if (!r.from().isAfter(reach) && r.to().isAfter(reach)) {
                    reach = r.to();
                    moved = true;
                }
            }
        }
        return Duration.between(now, reach);
    }

    static String name(PartitionSpec spec, ZonedDateTime start) {
        return spec.table() + "_" + (spec.period() == PartitionSpec.Period.MONTHLY ? MONTH : DAY).format(start);
    }

    private static ZonedDateTime periodStart(PartitionSpec.Period period, LocalDate day, ZoneId zone) {
        LocalDate first = period == PartitionSpec.Period.MONTHLY ? day.withDayOfMonth(1) : day;
        return first.atStartOfDay(zone);
    }

    private static ZonedDateTime next(PartitionSpec.Period period, ZonedDateTime start) {
        LocalDate day = start.toLocalDate();
        return (period == PartitionSpec.Period.MONTHLY ? day.plusMonths(1) : day.plusDays(1))
                .atStartOfDay(start.getZone());
    }
}
