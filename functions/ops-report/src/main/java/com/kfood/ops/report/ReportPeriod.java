package com.kfood.ops.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * The window a report covers and the one it is compared with, as UTC instants. Calendar days,
 * weeks and months are the platform's ({@code zone}, Asia/Seoul): the daily report covers the 24
 * hours before it runs, the weekly the 7 days before today's midnight, the monthly the last
 * calendar month; each against the window just before it of the same kind.
 *
 * @param step the charts' bucket: an hour for the daily report, a day for the others
 */
record ReportPeriod(ReportKind kind, Instant start, Instant end, Instant previousStart, ZoneId zone, Duration step) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    static ReportPeriod of(ReportKind kind, Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        return switch (kind) {
            case DAILY -> {
                // the 24 hours before the run (the schedule's 09:00, or a manual run's moment)
                ZonedDateTime end = local.truncatedTo(ChronoUnit.SECONDS);
                yield new ReportPeriod(
                        kind,
                        end.minusDays(1).toInstant(),
                        end.toInstant(),
                        end.minusDays(2).toInstant(),
                        zone,
                        Duration.ofHours(1));
            }
            case WEEKLY -> {
                ZonedDateTime end = local.truncatedTo(ChronoUnit.DAYS);
                yield new ReportPeriod(
                        kind,
                        end.minusDays(7).toInstant(),
                        end.toInstant(),
                        end.minusDays(14).toInstant(),
                        zone,
                        Duration.ofDays(1));
            }
            case MONTHLY -> {
                ZonedDateTime end = local.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.firstDayOfMonth());
                yield new ReportPeriod(
                        kind,
                        end.minusMonths(1).toInstant(),
                        end.toInstant(),
                        end.minusMonths(2).toInstant(),
                        zone,
                        Duration.ofDays(1));
            }
        };
    }

    Duration length() {
        return Duration.between(start, end);
    }

    Duration previousLength() {
        return Duration.between(previousStart, start);
    }

    long minutes() {
        return length().toMinutes();
    }

    /** The first calendar day of the window and the day after its last, in the platform's calendar. */
    LocalDate firstDay() {
        return start.atZone(zone).toLocalDate();
    }

    LocalDate endDay() {
        return end.atZone(zone).toLocalDate();
    }

    LocalDate previousFirstDay() {
        return previousStart.atZone(zone).toLocalDate();
    }

    /** "2026-11-01 to 2026-11-30 (Asia/Seoul)", as people read the window. */
    String label() {
        DateTimeFormatter f = kind == ReportKind.DAILY ? HOUR : DAY;
        ZonedDateTime last =
                kind == ReportKind.DAILY ? end.atZone(zone) : end.atZone(zone).minusDays(1);
        return f.format(start.atZone(zone)) + " to " + f.format(last) + " (" + zone.getId() + ")";
    }

    /** The report's name in storage: the kind and the window's first day (or hour). */
    String key() {
        String when = kind == ReportKind.DAILY
                ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm").format(end.atZone(zone))
                : DAY.format(start.atZone(zone));
        return kind.label() + "/" + when;
    }

    /** The previous report of the same kind's name in storage (its window ends where this one starts). */
    String previousKey() {
        String when = kind == ReportKind.DAILY
                ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm").format(start.atZone(zone))
                : DAY.format(previousStart.atZone(zone));
        return kind.label() + "/" + when;
    }

    /** The labels of the window's chart buckets, in the platform's calendar. */
    List<String> bucketLabels() {
        List<String> out = new ArrayList<>();
        for (Instant t = start; t.isBefore(end); t = t.plus(step)) {
            out.add(bucketLabel(t));
        }
        return out;
    }

    /** A chart bucket's label, in the platform's calendar. */
    String bucketLabel(Instant bucketStart) {
        ZonedDateTime t = bucketStart.atZone(zone);
        return kind == ReportKind.DAILY
                ? DateTimeFormatter.ofPattern("MM-dd HH:mm").format(t)
                : DAY.format(t);
    }
}
