package com.kfood.ops.care;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
        PartitionSpec daily = PartitionSpec.parse("audit.events:daily:2").getFirst();
        assertThat(PartitionPlanner.missing(daily, ZoneOffset.UTC, Instant.parse("2026-12-31T23:00:00Z"), List.of()))
                .extracting(PartitionPlanner.Planned::name)
                .containsExactly("events_2026_12_31", "events_2027_01_01", "events_2027_01_02");
        assertThat(daily.qualified()).isEqualTo("audit.events");
    }
}
