package com.kfood.ops.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Storage growth: the least-squares slope of daily usage (days without a value skipped, so a gap
 * does not read as a drop), and the days until a capacity is reached at that rate.
 */
record Growth(double perDay, double latest, int days) {

    /** From one value per day (null: no value that day); empty with fewer than two values. */
    static Optional<Growth> of(List<Double> daily) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < daily.size(); i++) {
            if (daily.get(i) != null) {
                points.add(new double[] {i, daily.get(i)});
            }
        }
        if (points.size() < 2) {
            return Optional.empty();
        }
        double n = points.size();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return Optional.of(new Growth(slope, points.getLast()[1], points.size()));
    }

    /** Days until {@code capacity} at this rate; empty when usage is flat or shrinking. */
    OptionalDouble daysUntil(double capacity) {
        if (perDay <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.max(0, (capacity - latest) / perDay));
    }
}
