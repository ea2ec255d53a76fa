package com.kfood.ops.report;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** The report's databases, each described once per report (capacity and maintenance both read them). */
final class Databases {
    private final ReportReads reads;
    private final Map<String, DBInstance> described = new HashMap<>();

    Databases(ReportReads reads) {
        this.reads = reads;
    }

    /**
     * The database's allocated storage (GiB) over time, oldest first: each snapshot records the
     * volume's size when it was taken, so a volume that storage autoscaling grew shows each day's size.
     */
    java.util.NavigableMap<java.time.Instant, Integer> allocatedHistory(String db) {
        java.util.NavigableMap<java.time.Instant, Integer> out = new java.util.TreeMap<>();
        reads.snapshots(db).forEach(s -> {
            java.time.Instant at =
                    s.originalSnapshotCreateTime() != null ? s.originalSnapshotCreateTime() : s.snapshotCreateTime();
            if (at != null && s.allocatedStorage() != null) {
                out.put(at, s.allocatedStorage());
            }
        });
        return out;
    }

    synchronized DBInstance describe(String db) {
        return described.computeIfAbsent(db, reads::database);
    }
}
