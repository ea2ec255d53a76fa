package com.kfood.ops.report;

import java.util.List;

/**
 * A chart of the report, drawn in the page by Chart.js from exactly these numbers (the ones the
 * text states), so picture and text cannot disagree. A missing bucket is null: a gap, not a zero.
 */
record Chart(String id, String title, String unit, List<String> labels, List<Line> lines) {
    record Line(String name, List<Double> values) {}
}
