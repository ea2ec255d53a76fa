package com.kfood.ops.report;

/** A checklist item's answer: fine, worth a look, or a person must act. Unknown is said, never guessed. */
enum Verdict {
    OK,
    WATCH,
    ACT,
    UNKNOWN;

    /** The worse of two: ACT over WATCH over UNKNOWN over OK. */
    Verdict and(Verdict other) {
        return rank(other) > rank(this) ? other : this;
    }

    private static int rank(Verdict v) {
        return switch (v) {
            case OK -> 0;
            case UNKNOWN -> 1;
            case WATCH -> 2;
            case ACT -> 3;
        };
    }
}
