package com.kfood.ops.care;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One partitioned parent as {@code PARTITIONED_TABLES} names it:
 * {@code [schema.]table:period:ahead[:retain=N]}, e.g. {@code user_interactions:monthly:3:retain=12}
 * (this period's partition and the next three must exist; a partition whose whole range ended more
 * than 12 periods before this one is archived and dropped). Without {@code retain} ({@code retain}
 * 0 here) nothing is ever detached. Names are plain lowercase identifiers: a quoted identifier is
 * refused, so every name can go into SQL as it is.
 */
record PartitionSpec(String schema, String table, Period period, int ahead, int retain) {
    private static final Pattern ENTRY = Pattern.compile(
            "(?:([a-z_][a-z0-9_]{0,62})\\.)?([a-z_][a-z0-9_]{0,62}):(daily|monthly):(\\d{1,2})(?::retain=(\\d{1,4}))?");

    /** Periods kept at the most: ten years of months. */
    static final int MAX_RETAIN = 120;

    /** Days ahead a daily table keeps at the least: the horizon alarm fires below seven. */
    static final int MIN_DAILY_AHEAD = 7;

    /** How the plan partitions: one partition per day or per calendar month. */
    enum Period {
        DAILY,
        MONTHLY
    }

    String qualified() {
        return schema + "." + table;
    }

    static List<PartitionSpec> parse(String value) {
        List<PartitionSpec> specs = new ArrayList<>();
        for (String raw : value.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new ConfigException(
                        "PARTITIONED_TABLES entries are [schema.]table:daily|monthly:N[:retain=M] with plain lowercase"
                                + " names (no quoted identifiers), e.g. user_interactions:monthly:3:retain=12; got '"
                                + Text.printable(entry, 80) + "'");
            }
            int ahead = Integer.parseInt(m.group(4));
            if (ahead < 1 || ahead > 24) {
                throw new ConfigException(
                        "PARTITIONED_TABLES: " + m.group(2) + " asks for " + ahead + " periods ahead; 1 to 24");
            }
            Period period = Period.valueOf(m.group(3).toUpperCase(Locale.ROOT));
            // "_2026_12" or "_2026_12_31" follows the table's name; PostgreSQL would cut a longer name
            int suffix = period == Period.MONTHLY ? 8 : 11;
            if (m.group(2).length() + suffix > PartitionPlanner.MAX_NAME_BYTES) {
                throw new ConfigException("PARTITIONED_TABLES: " + m.group(2) + " is "
                        + m.group(2).length()
                        + " characters; its partitions' names (+" + suffix + ") would pass PostgreSQL's "
                        + PartitionPlanner.MAX_NAME_BYTES + "-byte limit and be cut");
            }
            if (period == Period.DAILY && ahead < MIN_DAILY_AHEAD) {
                throw new ConfigException("PARTITIONED_TABLES: " + m.group(2) + ":daily:" + ahead + " keeps fewer days"
                        + " ahead than the " + (int) DatabaseCare.HORIZON_ALARM_DAYS
                        + "-day horizon alarm, which would never clear; daily needs " + MIN_DAILY_AHEAD + " or more");
            }
            int retain = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
            if (m.group(5) != null && (retain < 1 || retain > MAX_RETAIN)) {
                throw new ConfigException("PARTITIONED_TABLES: " + m.group(2) + " asks to retain " + retain
                        + " periods; 1 to " + MAX_RETAIN + " (leave retain out to keep every partition)");
            }
            PartitionSpec spec =
                    new PartitionSpec(m.group(1) == null ? "public" : m.group(1), m.group(2), period, ahead, retain);
            if (specs.stream().anyMatch(s -> s.qualified().equals(spec.qualified()))) {
                throw new ConfigException("PARTITIONED_TABLES names " + spec.qualified() + " twice");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }
}
