package com.kfood.ops.shared;

/**
 * A service that takes part in SnapStart: the AWS calls of its first request, run once before the
 * checkpoint with every request stopped before it is sent, and what it drops after a restore.
 */
public interface Primed {
    /** The AWS calls of a first request, each run once while priming. */
    Runnable[] primingCalls();

    /** Refreshes state that must not survive a snapshot (cached secrets, say). */
    default void restored() {}
}
