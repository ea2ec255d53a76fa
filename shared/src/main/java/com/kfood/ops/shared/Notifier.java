package com.kfood.ops.shared;

/** Sends a notification to the team. */
public interface Notifier {
    /** @return true when delivered; a failure is logged by the notifier and never thrown */
    boolean send(Notification notification);
}
