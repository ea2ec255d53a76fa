package com.kfood.ops.deploy;

import java.util.List;

/**
 * Whether users saw a deployment: {@code Zero-downtime: yes}, {@code no (reasons)} or {@code not
 * measured: why}. Only metrics make a "yes"; missing ones never do.
 *
 * @param reasons what made it a "no", each with its numbers
 * @param notes what a person should know though it is not downtime (a slower p95, unhealthy hosts)
 * @param judgedOver the window and the hour before, for people (KST), or null when not measured
 */
public record DowntimeVerdict(Status status, List<String> reasons, List<String> notes, String why, String judgedOver) {
    public enum Status {
        YES,
        NO,
        NOT_MEASURED
    }

    public DowntimeVerdict {
        reasons = List.copyOf(reasons);
        notes = List.copyOf(notes);
    }

    static DowntimeVerdict notMeasured(String why) {
        return new DowntimeVerdict(Status.NOT_MEASURED, List.of(), List.of(), why, null);
    }

    /** The notification's line after "Zero-downtime: ". */
    public String text() {
        return switch (status) {
            case YES -> "yes" + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
            case NO ->
                "no (" + String.join(", ", reasons) + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)) + ")";
            case NOT_MEASURED -> "not measured: " + why;
        };
    }
}
