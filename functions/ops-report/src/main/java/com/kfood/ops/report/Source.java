package com.kfood.ops.report;

import java.util.Set;

/**
 * One section's source. Metric sources plan their queries first ({@link #plan}), so the whole
 * report's metrics travel in a few GetMetricData calls; then each builds its section. A source
 * that throws is reported as not available, with the reason; the other sections are unaffected.
 */
abstract class Source {
    private final String key;
    private final String title;
    private final Set<ReportKind> kinds;

    /** {@code kinds}: the reports this section belongs to (the plan's checklists). */
    Source(String key, String title, Set<ReportKind> kinds) {
        this.key = key;
        this.title = title;
        this.kinds = Set.copyOf(kinds);
    }

    final String key() {
        return key;
    }

    final String title() {
        return title;
    }

    final Set<ReportKind> kinds() {
        return kinds;
    }

    /** Declares the metrics this section needs; most sources need none. */
    void plan(Metrics metrics) {}

    /** Builds the section once the planned metrics are fetched. */
    abstract Section build(Metrics metrics);
}
