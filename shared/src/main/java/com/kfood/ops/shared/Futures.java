package com.kfood.ops.shared;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/** Work run alongside an invocation's thread: the threads it runs on, and waiting for it. */
public final class Futures {
    private Futures() {}

    /**
     * Threads for work run alongside invocations, named for thread dumps; daemons, so an idle or hung
     * one never keeps the runtime from exiting.
     */
    public static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The task's result; what it threw is thrown here, on the invocation's thread, as it would have
     * been had the task run there. {@code what} names the task in the interrupted case.
     */
    public static <T> T join(Future<T> task, String what) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(what + " failed", e.getCause());
        }
    }
}
