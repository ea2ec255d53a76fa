package com.kfood.ops.testsupport;

import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Notifier;
import java.util.ArrayList;
import java.util.List;

/** Keeps what would have been sent. */
public final class RecordingNotifier implements Notifier {
    public final List<Notification> sent = new ArrayList<>();

    @Override
    public boolean send(Notification notification) {
        sent.add(notification);
        return true;
    }
}
