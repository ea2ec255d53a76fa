package com.kfood.ops.drill;

import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Text;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data freshness check: the newest value of a time column in the restored database must be no
 * older than the snapshot minus {@code tolerance}. That measures the recovery point the restore
 * really gives, not the one the snapshot's label promises. A column without a time zone is read as
 * wall time in {@code zone} ({@code DRILL_FRESHNESS_ZONE}).
 */
record Freshness(String schema, String table, String column, Duration tolerance, ZoneId zone) {
    private static final Pattern SPEC =
            Pattern.compile("(?:([a-z_][a-z0-9_]{0,62})\\.)?([a-z_][a-z0-9_]{0,62})\\.([a-z_][a-z0-9_]{0,62})");

    /** {@code [schema.]table.column}, plain lowercase identifiers only (they are quoted into SQL). */
    static Optional<Freshness> parse(String spec, Duration tolerance, ZoneId zone) {
        if (spec == null || spec.isBlank()) {
            return Optional.empty();
        }
        Matcher m = SPEC.matcher(spec.strip());
        if (!m.matches()) {
            throw new ConfigException(
                    "DRILL_FRESHNESS must be [schema.]table.column in plain lowercase identifiers, got '"
                            + Text.printable(spec, 80) + "'");
        }
        return Optional.of(
                new Freshness(m.group(1) == null ? "public" : m.group(1), m.group(2), m.group(3), tolerance, zone));
    }

    String sql() {
        return "SELECT max(\"" + column + "\") FROM \"" + schema + "\".\"" + table + "\"";
    }

    String label() {
        return schema + "." + table + "." + column;
    }
}
