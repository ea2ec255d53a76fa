package com.kfood.ops.deploy;

/** "Has this happened before?" across every container of the function: one claim per key. */
public interface OnceMarkers {
    /**
     * True the first time {@code key} is claimed. When the store cannot be asked, true as well: a
     * duplicate notification is better than a lost one.
     */
    boolean claim(String key);

    /** The store's write, for SnapStart priming (stopped before sending). */
    Runnable primingCall();
}
