package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.emulator.Template;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The overdue alarm against the calendar the drill runs on: first Sundays, and the drill's own duration. */
class OverdueAlarmTest {
    private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    @Test
    void aDrillOnTimeNeverTripsTheOverdueAlarmAndAMissedMonthAlwaysDoes() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> alarm = (Map<String, Object>) Template.load(ROOT.resolve("template.yaml"))
                .resource("RestoreDrillOverdueAlarm")
                .orElseThrow()
                .get("Properties");
        double thresholdDays = Double.parseDouble(String.valueOf(alarm.get("Threshold")));
        assertThat(alarm.get("ComparisonOperator")).isEqualTo("GreaterThanThreshold");

        Duration longestGap = Duration.ZERO;
        Duration shortestTwoMonths = Duration.ofDays(1000);
        LocalDate previous = firstSunday(LocalDate.of(2026, 1, 1));
        LocalDate beforeThat = null;
        for (LocalDate month = LocalDate.of(2026, 2, 1); month.getYear() < 2046; month = month.plusMonths(1)) {
            LocalDate sunday = firstSunday(month);
            Duration gap = Duration.between(previous.atStartOfDay(), sunday.atStartOfDay());
            longestGap = gap.compareTo(longestGap) > 0 ? gap : longestGap;
            if (beforeThat != null) {
                Duration two = Duration.between(beforeThat.atStartOfDay(), sunday.atStartOfDay());
                shortestTwoMonths = two.compareTo(shortestTwoMonths) < 0 ? two : shortestTwoMonths;
            }
            beforeThat = previous;
            previous = sunday;
        }
        assertThat(longestGap).isEqualTo(Duration.ofDays(35));
        // the last pass came early in its drill, the next one as late as a drill may run (DRILL_EXPIRES_HOURS max)
        Duration latestOnTime = longestGap.plusHours(48);
        assertThat(thresholdDays * 24).isGreaterThanOrEqualTo(latestOnTime.toHours());
        assertThat(thresholdDays).isLessThan(shortestTwoMonths.toDays());
    }

    private static LocalDate firstSunday(LocalDate month) {
        return month.withDayOfMonth(1).with(TemporalAdjusters.firstInMonth(DayOfWeek.SUNDAY));
    }
}
