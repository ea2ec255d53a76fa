package com.kfood.ops.testsupport;

import com.kfood.ops.shared.OpsMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Keeps every metric put; {@link #sum} adds up one metric over all dimensions. */
public final class RecordingMetrics implements OpsMetrics {
    public record Datum(String name, double value, Unit unit, Map<String, String> dimensions) {}

    public final List<Datum> data = new ArrayList<>();
    public int flushes;

    @Override
    public synchronized void put(String name, double value, Unit unit, Map<String, String> dimensions) {
        data.add(new Datum(name, value, unit, Map.copyOf(dimensions)));
    }

    @Override
    public void flush() {
        flushes++;
    }

    public synchronized double sum(String name) {
        return data.stream()
                .filter(d -> d.name().equals(name))
                .mapToDouble(Datum::value)
                .sum();
    }
}
