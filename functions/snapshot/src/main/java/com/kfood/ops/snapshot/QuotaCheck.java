package com.kfood.ops.snapshot;

/** The account's manual-snapshot quota as read before creating; {@code UNKNOWN} when it could not be read. */
public record QuotaCheck(Status status, Long used, Long max, String message) {
    public enum Status {
        OK,
        WARNING,
        UNKNOWN
    }

    static final double WARN_AT = 0.8;

    static QuotaCheck of(long used, long max, int toCreate) {
        double after = max == 0 ? 1 : (double) (used + toCreate) / max;
        if (after >= WARN_AT) {
            return new QuotaCheck(
                    Status.WARNING,
                    used,
                    max,
                    String.format(
                            "manual snapshots at %d of %d (%.0f%% after this run): prune or raise the quota",
                            used, max, after * 100));
        }
        return new QuotaCheck(Status.OK, used, max, used + " of " + max + " manual snapshots used");
    }

    static QuotaCheck unknown(String why) {
        return new QuotaCheck(Status.UNKNOWN, null, null, "quota unknown: " + why);
    }
}
