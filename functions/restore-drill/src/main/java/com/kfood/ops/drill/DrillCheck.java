package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * A configured check on the restored data: SQL that returns one number, and the range it must fall
 * in, e.g. {@code {"name":"restaurants","sql":"SELECT count(*) FROM restaurants","min":1000}}.
 * The SQL is the operators' (a stack parameter), run read-only with a statement timeout.
 */
record DrillCheck(String name, String sql, Double min, Double max) {

    boolean holds(double value) {
        return (min == null || value >= min) && (max == null || value <= max);
    }

    String range() {
        if (min != null && max != null) {
            return Validation.format(min) + ".." + Validation.format(max);
        }
        return min != null ? ">= " + Validation.format(min) : "<= " + Validation.format(max);
    }

    /** {@code DRILL_CHECKS}: a JSON array of checks; names unique, SQL a single statement. */
    static List<DrillCheck> parse(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        JsonNode array = Json.parseValue(json);
        if (array == null || !array.isArray()) {
            throw new ConfigException("DRILL_CHECKS must be a JSON array of {\"name\", \"sql\", \"min\", \"max\"}");
        }
        List<DrillCheck> checks = new ArrayList<>();
        for (JsonNode c : array) {
            String name = Json.text(c, "name");
            String sql = Json.text(c, "sql");
            if (name == null || !name.matches("[A-Za-z0-9_.:-]{1,40}")) {
                throw new ConfigException("DRILL_CHECKS: each check needs a name of 1-40 letters, digits, _ . : -");
            }
            if (sql == null
                    || sql.isBlank()
                    || sql.strip().replaceAll(";\\s*$", "").contains(";")) {
                throw new ConfigException("DRILL_CHECKS: check '" + name + "' needs one SQL statement in \"sql\"");
            }
            Double min = bound(c, "min", name);
            Double max = bound(c, "max", name);
            if (min == null && max == null) {
                throw new ConfigException("DRILL_CHECKS: check '" + name + "' needs a min, a max or both");
            }
            if (checks.stream().anyMatch(k -> k.name().equals(name))) {
                throw new ConfigException("DRILL_CHECKS: two checks are named '" + name + "'");
            }
            checks.add(new DrillCheck(name, sql.strip().replaceAll(";\\s*$", ""), min, max));
        }
        return List.copyOf(checks);
    }

    private static Double bound(JsonNode check, String field, String name) {
        JsonNode v = check.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new ConfigException(
                    "DRILL_CHECKS: check '" + Text.printable(name, 40) + "' has a " + field + " that is not a number");
        }
        return v.asDouble();
    }
}
