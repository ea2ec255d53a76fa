package com.kfood.ops.local;

import java.util.function.LongSupplier;

/**
 * Wall-clock time during which at least one interval is open: parallel AWS calls count once, so
 * the benchmark can subtract it from an invocation's wall time without going below zero.
 */
final class BusyTime {
    private final LongSupplier clock;
    private int open;
    private long since;
    private long total;

    BusyTime(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    synchronized void start() {
        if (open++ == 0) {
            since = clock.getAsLong();
        }
    }

    synchronized void end() {
        if (open > 0 && --open == 0) {
            total += clock.getAsLong() - since;
        }
    }

    synchronized long nanos() {
        return open > 0 ? total + clock.getAsLong() - since : total;
    }
}
