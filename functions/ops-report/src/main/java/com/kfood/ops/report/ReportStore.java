package com.kfood.ops.report;

/** Where finished reports are kept, and how a person opens one. */
interface ReportStore {
    /** Stores (or replaces) the report's JSON and page under {@code key}. */
    void store(String key, String json, String html);

    /**
     * Claims a scheduled report's notification: true once per key, false for every later delivery
     * of the same schedule's event, so a retry never sends the report twice.
     */
    boolean claimNotification(String key);

    /** A link to the page that works for a bounded time, without AWS credentials. */
    String link(String key);
}
