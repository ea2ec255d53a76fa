package com.kfood.ops.report;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * OpsReportFunction's logic: the window from the request, every section of that report from its
 * source (one that fails is "not available: why", the rest stand), then the page and JSON stored,
 * and one notification that fits a screen: a status line per section, the three things that need a
 * person, the link. A dry run stores and sends nothing.
 */
final class OpsReport implements OpsFunction {
    /** The function's answer: what was reported, its verdicts, and what it cost in AWS calls. */
    record ReportResult(
            String report,
            String window,
            String verdict,
            Map<String, String> sections,
            List<String> actions,
            Map<String, Integer> apiCalls,
            boolean dryRun,
            String stored,
            boolean notified,
            String summary) {}

    private final ReportConfig config;
    private final ReportSources sources;
    private final Optional<ReportStore> store;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    // unbounded: a section waiting for the metrics never holds up the fetch it waits for
    private final ExecutorService alongside = Executors.newCachedThreadPool(Futures.daemonThreads("report-source"));

    OpsReport(
            ReportConfig config,
            ReportSources sources,
            Optional<ReportStore> store,
            Notifier notifier,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock) {
        this.config = config;
        this.sources = sources;
        this.store = store;
        this.notifier = notifier;
        this.metrics = metrics;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Object handle(JsonNode event, Context context) {
        ReportRequest request = ReportRequest.parse(event, clock);
        boolean dryRun = request.dryRun() || config.dryRun();
        ReportPeriod period = ReportPeriod.of(request.kind(), request.at(), config.zone());
        Report report = build(period);
        String summary = ReportNotice.summary(report);
        String stored = null;
        boolean notified = false;
        Optional<String> link = Optional.empty();
        if (!dryRun) {
            String key = period.key();
            boolean claimed = false;
            if (store.isPresent()) {
                try {
                    store.get().store(key, Json.write(ReportDocument.of(report)), ReportHtml.render(report));
                    stored = "reports/" + key + ".html";
                    link = Optional.of(store.get().link(key));
                    // a schedule's event redelivered is sent once; a report asked for by hand is always sent
                    if (!request.source().equals("manual")) {
                        if (!store.get().claimNotification(key)) {
                            log.info("report already sent for this schedule", "report", key);
                            return result(report, false, stored, false, summary);
                        }
                        claimed = true;
                    }
                } catch (RuntimeException e) {
                    log.error("report not stored", "report", key, "error", Problems.describe(e));
                }
            }
            notified = notifier.send(ReportNotice.notification(report, link, stored == null && store.isPresent()));
            if (!notified && claimed) {
                // not published: the claim goes, so the schedule's retry sends it instead of finding it "sent"
                store.get().releaseNotification(key);
                throw new IllegalStateException("the report's notification was not published; the retry sends it");
            }
        }
        metrics.count("ReportsMade", 1);
        metrics.put(
                "ReportApiCalls",
                report.apiCalls().values().stream().mapToInt(Integer::intValue).sum(),
                OpsMetrics.Unit.COUNT,
                Map.of("Report", request.kind().label()));
        log.info(
                "report made",
                "report",
                request.kind().label(),
                "verdict",
                report.verdict().name(),
                "apiCalls",
                report.apiCalls());
        return result(report, dryRun, stored, notified, summary);
    }

    Report build(ReportPeriod period) {
        Map<String, Integer> before = sources.calls();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Metrics metricData = sources.metrics(period);
        List<Source> chosen = sources.sources(period, now).stream()
                .filter(s -> s.kinds().contains(period.kind()))
                .toList();
        Map<Source, String> planFailed = new HashMap<>();
        Map<Source, Boolean> needsMetrics = new HashMap<>();
        for (Source s : chosen) {
            int planned = metricData.planned();
            try {
                s.plan(metricData);
            } catch (RuntimeException e) {
                planFailed.put(s, Problems.describe(e));
            }
            needsMetrics.put(s, metricData.planned() > planned);
        }
        // the sections' own calls (snapshots, alarm history, Logs Insights, cost...) go out while
        // the metrics are fetched; a section that planned metrics waits for them
        Future<String> fetched = alongside.submit(() -> fetch(metricData));
        List<Future<Section>> built = new ArrayList<>();
        for (Source s : chosen) {
            built.add(alongside.submit(() -> {
                if (planFailed.containsKey(s)) {
                    return Section.unavailable(s.key(), s.title(), planFailed.get(s));
                }
                String fetchFailed = needsMetrics.get(s) ? Futures.join(fetched, "the report's metrics") : null;
                if (fetchFailed != null) {
                    return Section.unavailable(s.key(), s.title(), fetchFailed);
                }
                try {
                    return s.build(metricData);
                } catch (RuntimeException e) {
                    log.warn("section not available", "section", s.key(), "error", Problems.describe(e));
                    return Section.unavailable(s.key(), s.title(), Problems.describe(e));
                }
            }));
        }
        // waited for even when no section needs it: its calls belong to this report's count
        Futures.join(fetched, "the report's metrics");
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            sections.add(Futures.join(built.get(i), "section " + chosen.get(i).key()));
        }
        return new Report(
                period.kind(),
                period.label(),
                period.start(),
                period.end(),
                now,
                sections,
                difference(before, sources.calls()));
    }

    /** The metrics every section planned, in one go: null when read, else why not. */
    private String fetch(Metrics metricData) {
        try {
            metricData.fetch(alongside);
            return null;
        } catch (RuntimeException e) {
            String why = "CloudWatch GetMetricData: " + Problems.describe(e);
            log.warn("metrics not read", "error", why);
            return why;
        }
    }

    private static Map<String, Integer> difference(Map<String, Integer> before, Map<String, Integer> after) {
        Map<String, Integer> out = new TreeMap<>();
        after.forEach((op, n) -> {
            int d = n - before.getOrDefault(op, 0);
            if (d > 0) {
                out.put(op, d);
            }
        });
        return out;
    }

    private static ReportResult result(Report report, boolean dryRun, String stored, boolean notified, String summary) {
        Map<String, String> sections = new LinkedHashMap<>();
        report.sections().forEach(s -> sections.put(s.key(), s.verdict().name()));
        return new ReportResult(
                report.kind().label(),
                report.window(),
                report.verdict().name(),
                sections,
                report.actions(3),
                report.apiCalls(),
                dryRun,
                stored,
                notified,
                summary);
    }

    @Override
    public Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(sources.primingCalls()));
        store.ifPresent(s -> calls.add(() -> s.claimNotification("priming")));
        return calls.toArray(Runnable[]::new);
    }
}
