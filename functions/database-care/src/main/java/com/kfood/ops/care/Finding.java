package com.kfood.ops.care;

/** One thing the care run found: which check, how urgent, and what (names and numbers, never row data). */
record Finding(String check, Level level, String what) {
    /** WATCH: someone should look this week; ACT: someone should act now. */
    enum Level {
        WATCH,
        ACT
    }
}
