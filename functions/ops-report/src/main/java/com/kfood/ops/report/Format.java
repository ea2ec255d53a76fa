package com.kfood.ops.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Numbers as the report prints them: always with their unit, NaN as "no data". */
final class Format {
    private Format() {}

    /** Three decimals for the JSON and the charts; null for what is not a number (no data). */
    static Double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
    }

    static String percent(double v, int decimals) {
        return Double.isNaN(v) ? "no data" : String.format(Locale.ROOT, "%." + decimals + "f %%", v);
    }

    /**
     * An availability to {@code decimals}, rounded as usual unless that would put it on the other
     * side of {@code target}: then cut toward the true side, so 99.89998 against 99.9 reads
     * "99.899 %", never "99.900 %" beside "not compliant".
     */
    static String availability(double v, int decimals, double target) {
        if (Double.isNaN(v)) {
            return "no data";
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal t = BigDecimal.valueOf(target);
        BigDecimal shown = exact.setScale(decimals, RoundingMode.HALF_UP);
        if ((shown.compareTo(t) >= 0) != (exact.compareTo(t) >= 0)) {
            shown = exact.setScale(decimals, exact.compareTo(t) >= 0 ? RoundingMode.CEILING : RoundingMode.FLOOR);
        }
        return shown.toPlainString() + " %";
    }

    /** A target as it was set, with at least two decimals: 99.999 reads "99.999 %", never "100.00 %". */
    static String target(double v) {
        BigDecimal exact = BigDecimal.valueOf(v).stripTrailingZeros();
        return exact.setScale(Math.max(2, exact.scale())).toPlainString() + " %";
    }

    static String millis(double seconds) {
        return Double.isNaN(seconds) ? "no data" : String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }

    static String minutes(double m) {
        return String.format(Locale.ROOT, "%.1f min", m);
    }

    static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    static String gib(double v) {
        return String.format(Locale.ROOT, "%.1f GiB", v);
    }

    static String usd(double v) {
        return String.format(Locale.ROOT, "$%,.2f", v);
    }

    static String hours(double h) {
        return h < 48 ? String.format(Locale.ROOT, "%.1f h", h) : String.format(Locale.ROOT, "%.1f days", h / 24);
    }

    /** How a value moved against the previous window: "+12.0 % vs 180 ms"; empty without a previous value. */
    static String change(double now, double before, String beforeText) {
        if (Double.isNaN(now) || Double.isNaN(before)) {
            return "";
        }
        if (before == 0) {
            return now == 0 ? "unchanged" : "vs " + beforeText;
        }
        return String.format(Locale.ROOT, "%+.1f %% vs %s", 100 * (now - before) / Math.abs(before), beforeText);
    }

    /** A change in percentage points: "+0.02 pt vs 99.95 %". */
    static String points(double now, double before, int decimals) {
        if (Double.isNaN(now) || Double.isNaN(before)) {
            return "";
        }
        return String.format(Locale.ROOT, "%+." + decimals + "f pt vs %s", now - before, percent(before, decimals));
    }
}
