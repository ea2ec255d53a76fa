package com.kfood.ops.shared.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.backup.RetentionTiers.Dated;
import com.kfood.ops.shared.backup.RetentionTiers.Tier;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The tiers on a calendar: weeks from Sunday and months from the 1st, as Seoul has them. */
class RetentionTiersTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    /** Sunday 29 November 2026, 04:30 KST: the prune's run after the 03:00 KST snapshot. */
    private static final Instant NOW = Instant.parse("2026-11-28T19:30:00Z");

    /** A snapshot a day at 18:00 UTC (03:00 KST the next day), the newest 90 minutes before NOW. */
    private static List<Dated> daily(int days) {
        List<Dated> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            Instant at = NOW.minus(Duration.ofMinutes(90)).minus(Duration.ofDays(d));
            out.add(new Dated(at.toString(), at, 30));
        }
        return out;
    }

    private static List<String> keptBy(Map<String, EnumSet<Tier>> kept, Tier tier) {
        return kept.entrySet().stream()
                .filter(e -> e.getValue().contains(tier))
                .map(Map.Entry::getKey)
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void weekliesAreTheSundaySnapshotsOfSeoulNotOfUtc() {
        Map<String, EnumSet<Tier>> kept = new RetentionTiers(8, 0, SEOUL).keep(daily(120), NOW);
        List<String> weekly = keptBy(kept, Tier.WEEKLY);
        assertThat(weekly).hasSize(8);
        // 18:00 UTC on a Saturday is 03:00 KST on Sunday: the weekly of that week
        assertThat(weekly)
                .allSatisfy(id -> assertThat(
                                Instant.parse(id).atZone(SEOUL).getDayOfWeek().name())
                        .isEqualTo("SUNDAY"));
        // this week (from Sunday 29 November KST) and the seven before it: back to Sunday 11 October KST
        assertThat(weekly.getFirst()).isEqualTo("2026-10-10T18:00:00Z");
        assertThat(keptBy(kept, Tier.DAILY)).hasSize(30);
    }

    @Test
    void monthliesAreTheFirstOfEachMonthInSeoul() {
        Map<String, EnumSet<Tier>> kept = new RetentionTiers(0, 3, SEOUL).keep(daily(120), NOW);
        // 1 September, 1 October and 1 November KST: 18:00 UTC the day before
        assertThat(keptBy(kept, Tier.MONTHLY))
                .containsExactly("2026-08-31T18:00:00Z", "2026-09-30T18:00:00Z", "2026-10-31T18:00:00Z");
        assertThat(keptBy(kept, Tier.WEEKLY)).isEmpty();
    }

    @Test
    void aMissedSundayLeavesTheWeeksFirstSnapshotAsItsWeekly() {
        List<Dated> snapshots = new ArrayList<>(daily(20));
        snapshots.removeIf(s -> s.id().equals("2026-11-21T18:00:00Z")); // Sunday 22 November KST failed
        Map<String, EnumSet<Tier>> kept = new RetentionTiers(3, 0, SEOUL).keep(snapshots, NOW);
        assertThat(keptBy(kept, Tier.WEEKLY))
                .containsExactly("2026-11-14T18:00:00Z", "2026-11-22T18:00:00Z", "2026-11-28T18:00:00Z");
    }

    @Test
    void tiersOffKeepOnlyTheDailies() {
        Map<String, EnumSet<Tier>> kept = new RetentionTiers(0, 0, ZoneOffset.UTC).keep(daily(45), NOW);
        assertThat(kept.values().stream().filter(t -> !t.isEmpty())).hasSize(30);
        assertThat(keptBy(kept, Tier.WEEKLY)).isEmpty();
        assertThat(keptBy(kept, Tier.MONTHLY)).isEmpty();
    }

    @Test
    void theSteadyStateCountsWhatTheTiersKeepOnceFull() {
        assertThat(new RetentionTiers(0, 0, SEOUL).steadyState(30, 7, NOW)).isEqualTo(30);
        // four weeklies all fall within the 30 dailies
        assertThat(new RetentionTiers(4, 0, SEOUL).steadyState(30, 7, NOW)).isEqualTo(30);
        // 1 September and 1 October are older than 30 days; 1 November is a daily too
        assertThat(new RetentionTiers(0, 3, SEOUL).steadyState(30, 7, NOW)).isEqualTo(32);
        assertThat(new RetentionTiers(0, 0, SEOUL).steadyState(3, 7, NOW)).isEqualTo(7); // the floor
    }
}
