package com.kfood.ops.care;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which partitions a parent needs, by the plan's naming ({@code user_interactions_2024_01} for a
 * month, {@code ..._2024_01_15} for a day), with period boundaries at midnight in the configured
 * zone. Pure: the existing partitions' ranges come in, the missing ones and the horizon go out.
 *
 * <p>Every instant from this period's start to the end of the last period ahead is covered: a
 * period that existing partitions cover only in part (their bounds were drawn in another zone)
 * gets a bridging partition for each uncovered piece, named after the period and the piece's start.
 */
final class PartitionPlanner {
    /** PostgreSQL cuts longer identifiers silently: a name over this is refused, never truncated. */
    static final int MAX_NAME_BYTES = 63;

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy_MM");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy_MM_dd");
    private static final DateTimeFormatter PIECE =
            DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

    /** An existing partition's range [from, to). */
    record Range(String name, Instant from, Instant to) {}

    /** A partition to create: its name and its range [from, to) as wall times in the zone. */
    record Planned(String name, ZonedDateTime from, ZonedDateTime to) {
        /** True when the name fits PostgreSQL's identifiers (63 bytes). */
        boolean nameFits() {
            return name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES;
        }
    }

    private PartitionPlanner() {}

    /** The uncovered pieces of this period and the next {@code ahead}, each a partition to create. */
    static List<Planned> missing(PartitionSpec spec, ZoneId zone, Instant now, List<Range> existing) {
        List<Planned> out = new ArrayList<>();
        ZonedDateTime start = periodStart(spec.period(), now.atZone(zone).toLocalDate(), zone);
        for (int i = 0; i <= spec.ahead(); i++) {
            ZonedDateTime end = next(spec.period(), start);
            String name = name(spec, start);
            for (Range piece : uncovered(start.toInstant(), end.toInstant(), existing)) {
                if (!piece.to().isAfter(now)) {
                    continue; // a piece wholly past: no row can arrive for it any more
                }
                boolean whole =
                        piece.from().equals(start.toInstant()) && piece.to().equals(end.toInstant());
                out.add(new Planned(
                        whole ? name : name + "_from_" + PIECE.format(piece.from()),
                        piece.from().atZone(zone),
                        piece.to().atZone(zone)));
            }
            start = end;
        }
        return out;
    }

    /**
     * The partitions a table's {@code retain} lets go: those whose whole range ended at or before the
     * start of the period {@code retain} periods before this one (pg_partman's rule), oldest first.
     */
    static List<Range> expired(PartitionSpec spec, ZoneId zone, Instant now, List<Range> existing) {
        if (spec.retain() == 0) {
            return List.of();
        }
        ZonedDateTime start = periodStart(spec.period(), now.atZone(zone).toLocalDate(), zone);
        Instant cutoff = (spec.period() == PartitionSpec.Period.MONTHLY
                        ? start.minusMonths(spec.retain())
                        : start.minusDays(spec.retain()))
                .toInstant();
        return existing.stream()
                .filter(r -> !r.to().isAfter(cutoff))
                .sorted(Comparator.comparing(Range::from))
                .toList();
    }

    /** The parts of [from, to) that no existing range covers, in time order. */
    static List<Range> uncovered(Instant from, Instant to, List<Range> existing) {
        List<Range> sorted = existing.stream()
                .filter(r -> r.to().isAfter(from) && r.from().isBefore(to))
                .sorted(Comparator.comparing(Range::from))
                .toList();
        List<Range> gaps = new ArrayList<>();
        Instant at = from;
        for (Range r : sorted) {
            if (r.from().isAfter(at)) {
                gaps.add(new Range(null, at, r.from()));
            }
            if (r.to().isAfter(at)) {
                at = r.to();
            }
        }
        if (at.isBefore(to)) {
            gaps.add(new Range(null, at, to));
        }
        return gaps;
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
