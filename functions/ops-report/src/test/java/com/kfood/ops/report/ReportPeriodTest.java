package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ReportPeriodTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    @Test
    void theMonthlyReportOnTheFirstCoversTheLastCalendarMonthInSeoul() {
        // 2026-12-01 09:00 KST
        ReportPeriod p = ReportPeriod.of(ReportKind.MONTHLY, Instant.parse("2026-12-01T00:00:00Z"), SEOUL);

        assertThat(p.start()).isEqualTo(Instant.parse("2026-10-31T15:00:00Z")); // 2026-11-01 00:00 KST
        assertThat(p.end()).isEqualTo(Instant.parse("2026-11-30T15:00:00Z"));
        assertThat(p.previousStart()).isEqualTo(Instant.parse("2026-09-30T15:00:00Z"));
        assertThat(p.minutes()).isEqualTo(30 * 1440);
        assertThat(p.previousLength()).isEqualTo(Duration.ofDays(31));
        assertThat(p.bucketLabels()).hasSize(30).startsWith("2026-11-01").endsWith("2026-11-30");
        assertThat(p.label()).isEqualTo("2026-11-01 to 2026-11-30 (Asia/Seoul)");
        assertThat(p.key()).isEqualTo("monthly/2026-11-01");
    }

    @Test
    void theWeeklyReportOnMondayCoversTheSevenDaysBeforeItsMidnight() {
        // Monday 2026-11-30 09:00 KST
        ReportPeriod p = ReportPeriod.of(ReportKind.WEEKLY, Instant.parse("2026-11-30T00:00:00Z"), SEOUL);

        assertThat(p.start()).isEqualTo(Instant.parse("2026-11-22T15:00:00Z")); // Monday 11-23 00:00 KST
        assertThat(p.end()).isEqualTo(Instant.parse("2026-11-29T15:00:00Z"));
        assertThat(p.previousStart()).isEqualTo(Instant.parse("2026-11-15T15:00:00Z"));
        assertThat(p.label()).isEqualTo("2026-11-23 to 2026-11-29 (Asia/Seoul)");
    }

    @Test
    void theDailyReportCoversTheTwentyFourHoursBeforeItRanInHourlyBuckets() {
        ReportPeriod p = ReportPeriod.of(ReportKind.DAILY, Instant.parse("2026-11-29T00:00:00Z"), SEOUL);

        assertThat(p.start()).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(p.end()).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
        assertThat(p.step()).isEqualTo(Duration.ofHours(1));
        assertThat(p.bucketLabels()).hasSize(24).startsWith("11-28 09:00");
        assertThat(p.key()).isEqualTo("daily/2026-11-29T0900");
    }

    @Test
    void aMonthAcrossTheYearEndIsDecemberAgainstNovember() {
        ReportPeriod p = ReportPeriod.of(ReportKind.MONTHLY, Instant.parse("2027-01-01T00:00:00Z"), SEOUL);

        assertThat(p.label()).isEqualTo("2026-12-01 to 2026-12-31 (Asia/Seoul)");
        assertThat(p.previousLength()).isEqualTo(Duration.ofDays(30));
    }
}
