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

    /** Gives a claim back after the notification failed to publish, so the next delivery sends it. */
    void releaseNotification(String key);

    /** A link to the page that works for a bounded time, without AWS credentials. */
    String link(String key);
}
