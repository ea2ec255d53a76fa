package com.kfood.ops.shared.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

/**
 * How this stack names and marks its snapshots. The prune trusts nothing else: a snapshot is ours
 * only when its {@link #MANAGED_BY} tag names this stack.
 */
public final class SnapshotTags {
    public static final String MANAGED_BY = "ManagedBy";
    public static final String CREATED_BY = "kfood-ops:CreatedBy";
    public static final String RETENTION_DAYS = "kfood-ops:RetentionDays";
    public static final String SCHEDULED_FOR = "kfood-ops:ScheduledFor";

    /**
     * The tags a DR copy carries over from its source: the snapshot's own four, as the copy's IAM
     * condition (aws:TagKeys) lists them; never the drill's in-use mark or a database's tag.
     */
    public static final Set<String> COPIED_TO_DR = Set.of(MANAGED_BY, CREATED_BY, RETENTION_DAYS, SCHEDULED_FOR);
    /**
     * Set by the restore drill on the snapshot it restores from, to the drill's expiry time: the
     * prune keeps the snapshot until then (an unreadable value keeps it too), and the drill's
     * teardown removes the tag.
     */
    public static final String DRILL_IN_USE = "kfood-ops:drill-in-use";

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private SnapshotTags() {}

    /** {@code <prefix>-<db>-YYYYMMDD-HHmm}: the same schedule time always gives the same id. */
    public static String snapshotId(String prefix, String db, Instant scheduledFor) {
        return (prefix + "-" + db + "-" + STAMP.format(scheduledFor)).toLowerCase(Locale.ROOT);
    }

    /** Whether {@code id} has the shape this stack gives snapshots of {@code db}. */
    public static boolean isOurName(String prefix, String db, String id) {
        String start = (prefix + "-" + db + "-").toLowerCase(Locale.ROOT);
        return id != null
                && id.toLowerCase(Locale.ROOT).startsWith(start)
                && id.substring(start.length()).matches("\\d{8}-\\d{4}");
    }
}
