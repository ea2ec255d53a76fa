package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A WAF rule's last 24 hours against the same hours of the days before, at the verdict's thresholds. */
class WafRulesTest {
    private static final Instant START = Instant.parse("2026-11-25T15:00:00Z"); // 00:00 KST
    private static final Instant END = START.plus(Duration.ofDays(1));
    private static final WafRules.Rule RATE_LIMIT =
            new WafRules.Rule("kfood-edge-acl", "RateLimitPerIP", Map.of("WebACL", "kfood-edge-acl"), true);

    /** {@code perHour} blocked every hour of {@code days} days before the window, and of the window. */
    private static Map<Instant, Double> steady(int days, double perHour) {
        Map<Instant, Double> out = new HashMap<>();
        for (Instant h = START.minus(Duration.ofDays(days)); h.isBefore(END); h = h.plus(Duration.ofHours(1))) {
            out.put(h, perHour);
        }
        return out;
    }

    private static Item item(Map<Instant, Double> blocked) {
        return WafRules.item(RATE_LIMIT, blocked, Map.of(), START, END, ZoneId.of("Asia/Seoul"));
    }

    @Test
    void aRuleBlockingAsUsualIsOkAndNamedForWhatItIs() {
        Item i = item(steady(7, 40));
        assertThat(i.verdict()).isEqualTo(Verdict.OK);
        assertThat(i.label()).isEqualTo("WAF kfood-edge-acl / RateLimitPerIP (rate limit)");
        assertThat(i.value()).isEqualTo("960 blocked, 0 allowed");
        assertThat(i.amount("historyDays")).isEqualTo(7);
    }

    @Test
    void tenTimesTheUsualInOneHourIsWatchAndFiftyIsAct() {
        Map<Instant, Double> blocked = steady(7, 40);
        Instant hour = START.plus(Duration.ofHours(14));
        blocked.put(hour, 399.0);
        assertThat(item(blocked).verdict()).isEqualTo(Verdict.OK);
        blocked.put(hour, 400.0);
        assertThat(item(blocked).verdict()).isEqualTo(Verdict.WATCH);
        assertThat(item(blocked).trend())
                .isEqualTo("the hour from 14:00: 400 blocked against a usual 40 (7 days), 10x");
        blocked.put(hour, 2000.0);
        assertThat(item(blocked).verdict()).isEqualTo(Verdict.ACT);
    }

    @Test
    void aQuietRuleIsMeasuredAgainstTheFloorNotAgainstZero() {
        Map<Instant, Double> blocked = steady(7, 0);
        blocked.put(START.plus(Duration.ofHours(3)), 99.0); // 9.9 times the floor of 10 an hour
        assertThat(item(blocked).verdict()).isEqualTo(Verdict.OK);
        blocked.put(START.plus(Duration.ofHours(3)), 100.0);
        assertThat(item(blocked).verdict()).isEqualTo(Verdict.WATCH);
    }

    @Test
    void withFewerThanSevenDaysTheUsualIsTheDaysThereAre() {
        Map<Instant, Double> blocked = steady(2, 40);
        blocked.put(START.plus(Duration.ofHours(5)), 400.0);
        Item i = item(blocked);
        assertThat(i.trend()).contains("against a usual 40 (2 days)");
        assertThat(i.verdict()).isEqualTo(Verdict.WATCH);
    }

    @Test
    void aNewRuleWithNoEarlierDayIsUnknownNotOk() {
        Map<Instant, Double> blocked = steady(0, 40);
        Item i = item(blocked);
        assertThat(i.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(i.trend()).isEqualTo("no earlier day to compare with yet");
    }
}
