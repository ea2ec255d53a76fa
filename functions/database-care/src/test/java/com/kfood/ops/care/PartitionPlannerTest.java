package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kfood.ops.shared.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names and bounds as the plan names them, across a year end and in a zone that is not UTC. */
class PartitionPlannerTest {
    private static final PartitionSpec MONTHLY =
            PartitionSpec.parse("user_interactions:monthly:3").getFirst();

    @Test
    void thisMonthAndTheNextThreeAcrossTheYearEnd() {
        List<PartitionPlanner.Planned> planned =
                PartitionPlanner.missing(MONTHLY, ZoneOffset.UTC, Instant.parse("2026-12-20T10:00:00Z"), List.of());
        assertThat(planned)
                .extracting(PartitionPlanner.Planned::name)
                .containsExactly(
                        "user_interactions_2026_12",
                        "user_interactions_2027_01",
                        "user_interactions_2027_02",
                        "user_interactions_2027_03");
        assertThat(planned.get(1).from().toInstant()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(planned.get(1).to().toInstant()).isEqualTo(Instant.parse("2027-02-01T00:00:00Z"));
    }

    @Test
    void inSeoulTheMonthTurnsNineHoursBeforeUtcDoes() {
        ZoneId seoul = ZoneId.of("Asia/Seoul");
        // 2026-11-30 16:00 UTC is already December 1st, 01:00 in Seoul
        List<PartitionPlanner.Planned> planned =
                PartitionPlanner.missing(MONTHLY, seoul, Instant.parse("2026-11-30T16:00:00Z"), List.of());
        assertThat(planned.getFirst().name()).isEqualTo("user_interactions_2026_12");
        assertThat(planned.getFirst().from().toInstant()).isEqualTo(Instant.parse("2026-11-30T15:00:00Z"));
        assertThat(Catalog.bound("timestamp with time zone", planned.getFirst().from()))
                .isEqualTo("2026-12-01T00:00:00+09:00");
        assertThat(Catalog.bound("date", planned.getFirst().from())).isEqualTo("2026-12-01");
        assertThat(Catalog.bound(
                        "timestamp without time zone", planned.getFirst().from()))
                .isEqualTo("2026-12-01T00:00:00");
    }

    @Test
    void existingPartitionsAreNotPlannedAgainAndTheHorizonCountsOnlyWithoutGaps() {
        Instant now = Instant.parse("2026-11-29T00:00:00Z");
        List<PartitionPlanner.Range> existing = List.of(
                new PartitionPlanner.Range(
                        "user_interactions_2026_11",
                        Instant.parse("2026-11-01T00:00:00Z"),
                        Instant.parse("2026-12-01T00:00:00Z")),
                new PartitionPlanner.Range(
                        "user_interactions_2026_12",
                        Instant.parse("2026-12-01T00:00:00Z"),
                        Instant.parse("2027-01-01T00:00:00Z")),
                // after a gap (February missing): does not extend the horizon
                new PartitionPlanner.Range(
                        "user_interactions_2027_03",
                        Instant.parse("2027-03-01T00:00:00Z"),
                        Instant.parse("2027-04-01T00:00:00Z")));
        assertThat(PartitionPlanner.missing(MONTHLY, ZoneOffset.UTC, now, existing))
                .extracting(PartitionPlanner.Planned::name)
                .containsExactly("user_interactions_2027_01", "user_interactions_2027_02");
        assertThat(PartitionPlanner.horizon(now, existing).toDays()).isEqualTo(33);
        assertThat(PartitionPlanner.horizon(Instant.parse("2027-02-10T00:00:00Z"), existing))
                .isZero();
    }

    @Test
    void dailyPartitionsAreNamedByDay() {
        PartitionSpec daily = PartitionSpec.parse("audit.events:daily:7").getFirst();
        assertThat(PartitionPlanner.missing(daily, ZoneOffset.UTC, Instant.parse("2026-12-31T23:00:00Z"), List.of()))
                .extracting(PartitionPlanner.Planned::name)
                .startsWith("events_2026_12_31", "events_2027_01_01", "events_2027_01_02")
                .hasSize(8);
        assertThat(daily.qualified()).isEqualTo("audit.events");
    }

    @Test
    void aZoneChangeOverUtcBoundedMonthsLeavesNoGap() {
        // November and December were drawn in UTC; the zone is now Asia/Seoul
        ZoneId seoul = ZoneId.of("Asia/Seoul");
        Instant now = Instant.parse("2026-11-20T00:00:00Z");
        List<PartitionPlanner.Range> existing = List.of(new PartitionPlanner.Range(
                "user_interactions_2026_11",
                Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z")));
        List<PartitionPlanner.Planned> planned = PartitionPlanner.missing(MONTHLY, seoul, now, existing);
        // Seoul's December starts inside UTC's November: the rest of it is bridged, the past is left alone
        assertThat(planned)
                .extracting(PartitionPlanner.Planned::name)
                .containsExactly(
                        "user_interactions_2026_12_from_202612010000",
                        "user_interactions_2027_01",
                        "user_interactions_2027_02");
        List<PartitionPlanner.Range> all = new ArrayList<>(existing);
        planned.forEach(
                p -> all.add(new PartitionPlanner.Range(p.name(), p.from().toInstant(), p.to().toInstant())));
        assertThat(planned.getFirst().to().toInstant()).isEqualTo(Instant.parse("2026-12-31T15:00:00Z"));
        for (int day = 0; day < 90; day++) {
            Instant at = now.plus(Duration.ofDays(day));
            assertThat(PartitionPlanner.uncovered(at, at.plus(Duration.ofDays(1)), all))
                    .as("day %d is covered", day)
                    .isEmpty();
        }
        assertThat(PartitionPlanner.horizon(now, all).toDays()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void aDailyTableBelowTheHorizonAlarmAndANameTooLongAreRefusedAtInit() {
        assertThatThrownBy(() -> PartitionSpec.parse("events:daily:2"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("daily needs 7");
        String sixty = "t".repeat(60);
        assertThatThrownBy(() -> PartitionSpec.parse(sixty + ":monthly:3"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("63-byte");
        assertThat(PartitionSpec.parse("t".repeat(55) + ":monthly:3")).hasSize(1);
    }
}
