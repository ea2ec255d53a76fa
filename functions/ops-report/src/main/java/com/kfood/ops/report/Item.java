package com.kfood.ops.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kfood.ops.shared.Json;

/**
 * One line of a checklist: what was measured, its value with its unit, how it moved against the
 * previous period, the verdict. {@code numbers} carries the same figures unformatted (their units
 * in their names) for the JSON and the charts: a JSON object, so a figure is a number, a flag, a
 * word or null, and nothing else.
 */
record Item(String label, String value, String trend, Verdict verdict, String note, ObjectNode numbers) {
    Item {
        trend = trend == null ? "" : trend;
        note = note == null ? "" : note;
        numbers = numbers == null ? Json.object() : numbers.deepCopy();
    }

    static Item of(String label, String value, Verdict verdict) {
        return new Item(label, value, "", verdict, "", null);
    }

    /** A source that could not be read: said as such, never shown as a zero. */
    static Item unavailable(String label, String why) {
        return new Item(label, "not available: " + why, "", Verdict.UNKNOWN, "", null);
    }

    Item number(String name, Number value) {
        return with(name, value);
    }

    Item number(String name, boolean value) {
        return with(name, value);
    }

    Item number(String name, String value) {
        return with(name, value);
    }

    /** A figure as a number, or null when it is absent or not a number. */
    Double amount(String name) {
        JsonNode n = numbers.get(name);
        return n != null && n.isNumber() ? n.doubleValue() : null;
    }

    private Item with(String name, Object value) {
        ObjectNode more = numbers.deepCopy();
        more.set(name, Json.tree(value));
        return new Item(label, this.value, trend, verdict, note, more);
    }
}
