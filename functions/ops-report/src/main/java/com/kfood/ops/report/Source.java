package com.kfood.ops.report;

import java.util.Set;

/**
 * One section's source. Metric sources plan their queries first ({@link #plan}), so the whole
 * report's metrics travel in a few GetMetricData calls; then each builds its section. A source
 * that throws is reported as not available, with the reason; the other sections are unaffected.
 */
interface Source {
    String key();

    String title();

    /** The reports this section belongs to (the plan's checklists). */
    Set<ReportKind> kinds();

    /** Declares the metrics this section needs; most sources need none. */
    default void plan(Metrics metrics) {}

    /** Builds the section once the planned metrics are fetched. */
    Section build(Metrics metrics);
}
