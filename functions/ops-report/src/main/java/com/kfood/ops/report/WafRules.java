package com.kfood.ops.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * One WAF rule's last 24 hours against its usual: each hour's blocked requests against the same
 * hour of the previous days (7, or as many as the rule has), so a rule that suddenly blocks ten
 * times its usual is WATCH and fifty times ACT: an attack or a false positive, a person looks
 * either way. An hour under {@link #FLOOR_PER_HOUR} blocked is never unusual (a usual of 0 would
 * make one blocked request infinite).
 */
final class WafRules {
    static final double WATCH_TIMES = 10;
    static final double ACT_TIMES = 50;
    static final double FLOOR_PER_HOUR = 10;
    static final int HISTORY_DAYS = 7;

    /** A rule as CloudWatch names it; {@code edge}: published in us-east-1 (a CloudFront web ACL). */
    record Rule(String webAcl, String rule, Map<String, String> dimensions, boolean edge) {
        String label() {
            String name = rule.toLowerCase(Locale.ROOT);
            String kind = name.contains("rate")
                    ? " (rate limit)"
                    : name.contains("sqli") || name.contains("sql") ? " (SQL injection)" : "";
            return "WAF " + webAcl + " / " + rule + kind;
        }
    }

    private WafRules() {}

    /**
     * The rule's item from its hourly sums since {@code from} (7 days before the window's {@code start})
     * to {@code end}; hours without a datapoint blocked or allowed nothing.
     */
    static Item item(
            Rule rule,
            Map<Instant, Double> blocked,
            Map<Instant, Double> allowed,
            Instant start,
            Instant end,
            ZoneId zone) {
        double blockedDay = 0;
        double allowedDay = 0;
        int days = historyDays(blocked, allowed, start);
        double worstTimes = 0;
        Instant worstHour = null;
        double worstUsual = 0;
        for (Instant h = start; h.isBefore(end); h = h.plus(Duration.ofHours(1))) {
            double now = blocked.getOrDefault(h, 0.0);
            blockedDay += now;
            allowedDay += allowed.getOrDefault(h, 0.0);
            double usual = 0;
            for (int d = 1; d <= days; d++) {
                usual += blocked.getOrDefault(h.minus(Duration.ofDays(d)), 0.0);
            }
            usual = days == 0 ? 0 : usual / days;
            double times = now / Math.max(usual, FLOOR_PER_HOUR);
            if (worstHour == null || times > worstTimes) {
                worstTimes = times;
                worstHour = h;
                worstUsual = usual;
            }
        }
        String value = Format.count(blockedDay) + " blocked, " + Format.count(allowedDay) + " allowed";
        if (days == 0) {
            return new Item(rule.label(), value, "no earlier day to compare with yet", Verdict.UNKNOWN, "", null)
                    .number("blocked", blockedDay)
                    .number("allowed", allowedDay)
                    .number("historyDays", 0);
        }
        Verdict v = worstTimes >= ACT_TIMES ? Verdict.ACT : worstTimes >= WATCH_TIMES ? Verdict.WATCH : Verdict.OK;
        String hour = DateTimeFormatter.ofPattern("HH:mm").withZone(zone).format(worstHour);
        String trend = "the hour from " + hour + ": " + Format.count(blocked.getOrDefault(worstHour, 0.0))
                + " blocked against a usual " + Format.count(worstUsual) + " (" + days + (days == 1 ? " day" : " days")
                + ")" + (v == Verdict.OK ? "" : ", " + Math.round(worstTimes) + "x");
        return new Item(rule.label(), value, trend, v, "", null)
                .number("blocked", blockedDay)
                .number("allowed", allowedDay)
                .number("historyDays", days)
                .number("worstHourTimesUsual", Format.round(worstTimes));
    }

    /** How many of the 7 days before {@code start} the rule has any datapoint on. */
    private static int historyDays(Map<Instant, Double> blocked, Map<Instant, Double> allowed, Instant start) {
        int days = 0;
        for (int d = 1; d <= HISTORY_DAYS; d++) {
            Instant from = start.minus(Duration.ofDays(d));
            Instant to = from.plus(Duration.ofDays(1));
            if (any(blocked, from, to) || any(allowed, from, to)) {
                days = d;
            }
        }
        return days;
    }

    private static boolean any(Map<Instant, Double> hourly, Instant from, Instant to) {
        return hourly.keySet().stream().anyMatch(t -> !t.isBefore(from) && t.isBefore(to));
    }
}
