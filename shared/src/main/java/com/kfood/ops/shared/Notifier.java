package com.kfood.ops.shared;

/** Sends a notification to the team. */
public interface Notifier {
    /** @return true when delivered; a failure is logged by the notifier and never thrown */
    boolean send(Notification notification);

    /** The publish path, for SnapStart priming (the request is stopped before it is sent). */
    default void prime() {}
}
