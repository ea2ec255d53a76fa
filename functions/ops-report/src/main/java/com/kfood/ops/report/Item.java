package com.kfood.ops.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a checklist: what was measured, its value with its unit, how it moved against the
 * previous period, the verdict. {@code numbers} carries the same figures unformatted (their units
 * in their names) for the JSON and the charts.
 */
record Item(String label, String value, String trend, Verdict verdict, String note, Map<String, Object> numbers) {
    Item {
        trend = trend == null ? "" : trend;
        note = note == null ? "" : note;
        numbers = numbers == null ? Map.of() : new LinkedHashMap<>(numbers);
    }

    static Item of(String label, String value, Verdict verdict) {
        return new Item(label, value, "", verdict, "", Map.of());
    }

    /** A source that could not be read: said as such, never shown as a zero. */
    static Item unavailable(String label, String why) {
        return new Item(label, "not available: " + why, "", Verdict.UNKNOWN, "", Map.of());
    }

    Item number(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(numbers);
        more.put(name, value);
        return new Item(label, this.value, trend, verdict, note, more);
    }
}
