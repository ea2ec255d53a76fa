package com.kfood.ops.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a report is made from: its metrics, its sections' sources, and a count of the AWS calls made. */
interface ReportSources {
    Metrics metrics(ReportPeriod period);

    /** Every section's source for this window (the report keeps those of its kind). */
    List<Source> sources(ReportPeriod period, Instant now);

    /** AWS calls made so far by operation: the report states the difference its run made. */
    Map<String, Integer> calls();

    /** SnapStart: the first report's request paths, stopped before sending. */
    default Runnable[] primingCalls() {
        return new Runnable[0];
    }
}
