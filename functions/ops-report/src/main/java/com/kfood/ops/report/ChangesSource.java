package com.kfood.ops.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;

/**
 * Changes: deployments (from the deploy notifier's metrics: started, succeeded, failed, rolled
 * back, their average duration), remediations (executed, suppressed, failed, per action) and the
 * alarms that fired with their time in ALARM (CloudWatch's alarm history, clipped to the window).
 */
final class ChangesSource extends Source {
    private static final Pattern TRANSITION = Pattern.compile("from (\\w+) to (\\w+)");
    private static final List<String> DEPLOYMENTS =
            List.of("DeploymentsStarted", "DeploymentsSucceeded", "DeploymentsFailed", "DeploymentsRolledBack");
    private static final List<String> ACTIONS = List.of("ActionsExecuted", "ActionsSuppressed", "ActionsFailed");

    private final MetricCatalog catalog;
    private final ReportReads reads;
    private final ReportPeriod period;
    private final Map<String, List<String>> totals = new LinkedHashMap<>();
    private final List<String[]> durations = new ArrayList<>();
    /** Per service: the deployments with downtime (Sum) and those judged at all (SampleCount). */
    private final List<String[]> verdicts = new ArrayList<>();

    ChangesSource(MetricCatalog catalog, ReportReads reads, ReportPeriod period) {
        super("changes", "Changes", EnumSet.allOf(ReportKind.class));
        this.catalog = catalog;
        this.reads = reads;
        this.period = period;
    }

    @Override
    void plan(Metrics metrics) {
        for (String name : DEPLOYMENTS) {
            plan(metrics, name, "DeployNotifierFunction");
        }
        for (String name : ACTIONS) {
            plan(metrics, name, "AlarmRemediationFunction");
        }
        for (Metrics.Metric m : catalog.named("DeploymentDurationSeconds", "DeployNotifierFunction")) {
            durations.add(new String[] {metrics.total(m, "Sum"), metrics.total(m, "SampleCount")});
        }
        for (Metrics.Metric m : catalog.named("DeploymentsWithDowntime", "DeployNotifierFunction")) {
            verdicts.add(new String[] {metrics.total(m, "Sum"), metrics.total(m, "SampleCount")});
        }
    }

    private void plan(Metrics metrics, String name, String service) {
        List<String> keys = new ArrayList<>();
        for (Metrics.Metric m : catalog.named(name, service)) {
            keys.add(metrics.total(m, "Sum"));
        }
        totals.put(name, keys);
    }

    @Override
    Section build(Metrics metrics) {
        Section.Builder section = new Section.Builder(key(), title());
        double started = sum(metrics, "DeploymentsStarted", true);
        double succeeded = sum(metrics, "DeploymentsSucceeded", true);
        double failed = sum(metrics, "DeploymentsFailed", true);
        double rolledBack = sum(metrics, "DeploymentsRolledBack", true);
        double durationSum = 0, durationCount = 0;
        for (String[] d : durations) {
            durationSum += metrics.current(d[0]).orElse(0);
            durationCount += metrics.current(d[1]).orElse(0);
        }
        Verdict deployVerdict = failed + rolledBack > 0 ? Verdict.WATCH : Verdict.OK;
        section.item(new Item(
                        "deployments",
                        String.format(
                                Locale.ROOT,
                                "%s started, %s succeeded, %s failed, %s rolled back%s",
                                Format.count(started),
                                Format.count(succeeded),
                                Format.count(failed),
                                Format.count(rolledBack),
                                durationCount > 0
                                        ? ", lead time " + Format.minutes(durationSum / durationCount / 60)
                                                + " on average"
                                        : ", lead time unknown"),
                        "vs " + Format.count(sum(metrics, "DeploymentsSucceeded", false)) + " succeeded before",
                        deployVerdict,
                        "",
                        null)
                .number("started", started)
                .number("succeeded", succeeded)
                .number("failed", failed)
                .number("rolledBack", rolledBack)
                .number("averageMinutes", durationCount > 0 ? Format.round(durationSum / durationCount / 60) : null));
        section.item(zeroDowntime(metrics));
        double executed = sum(metrics, "ActionsExecuted", true);
        double suppressed = sum(metrics, "ActionsSuppressed", true);
        double actionsFailed = sum(metrics, "ActionsFailed", true);
        section.item(new Item(
                        "remediations",
                        Format.count(executed) + " executed, " + Format.count(suppressed)
                                + " suppressed by guard rails, " + Format.count(actionsFailed) + " failed",
                        "vs " + Format.count(sum(metrics, "ActionsExecuted", false)) + " executed before",
                        actionsFailed > 0 ? Verdict.WATCH : Verdict.OK,
                        "",
                        null)
                .number("executed", executed)
                .number("suppressed", suppressed)
                .number("failed", actionsFailed));
        alarms(section);
        return section.build();
    }

    /** The deployments' zero-downtime verdicts: how many of those judged users saw. */
    private Item zeroDowntime(Metrics metrics) {
        double withDowntime = 0, judged = 0, before = 0;
        for (String[] v : verdicts) {
            withDowntime += metrics.current(v[0]).orElse(0);
            judged += metrics.current(v[1]).orElse(0);
            before += metrics.previous(v[0]).orElse(0);
        }
        return new Item(
                        "deployments with downtime",
                        judged == 0
                                ? "none judged"
                                : Format.count(withDowntime) + " of " + Format.count(judged) + " judged",
                        "vs " + Format.count(before) + " before",
                        withDowntime > 0 ? Verdict.WATCH : judged == 0 ? Verdict.UNKNOWN : Verdict.OK,
                        "",
                        null)
                .number("withDowntime", withDowntime)
                .number("judged", judged);
    }

    private double sum(Metrics metrics, String name, boolean current) {
        double out = 0;
        for (String key : totals.getOrDefault(name, List.of())) {
            out += (current ? metrics.current(key) : metrics.previous(key)).orElse(0);
        }
        return out;
    }

    private void alarms(Section.Builder section) {
        List<AlarmHistoryItem> items;
        try {
            items = reads.stateChanges(period.start(), period.end());
        } catch (RuntimeException e) {
            section.item(Item.unavailable("alarms", Problems.describe(e)));
            return;
        }
        Map<String, List<AlarmHistoryItem>> byAlarm = new TreeMap<>();
        for (AlarmHistoryItem i : items) {
            byAlarm.computeIfAbsent(i.alarmName(), k -> new ArrayList<>()).add(i);
        }
        int fired = 0;
        Duration inAlarm = Duration.ZERO;
        List<String> names = new ArrayList<>();
        // an alarm in ALARM through the whole window changed no state in it: its history is silent
        for (var e : heldThrough(byAlarm.keySet()).entrySet()) {
            names.add(e.getKey() + " (in ALARM through the window, "
                    + Format.minutes(e.getValue().toSeconds() / 60.0) + ")");
            inAlarm = inAlarm.plus(e.getValue());
        }
        for (var e : byAlarm.entrySet()) {
            List<AlarmHistoryItem> changes = new ArrayList<>(e.getValue());
            changes.sort(Comparator.comparing(AlarmHistoryItem::timestamp));
            AlarmTime time = alarmTime(changes, period.start(), period.end());
            if (time.fired() > 0 || !time.inAlarm().isZero()) {
                names.add(e.getKey() + " (" + time.fired() + "x, "
                        + Format.minutes(time.inAlarm().toSeconds() / 60.0) + ")");
            }
            fired += time.fired();
            inAlarm = inAlarm.plus(time.inAlarm());
        }
        section.item(new Item(
                        "alarms",
                        fired + " fired, " + Format.minutes(inAlarm.toSeconds() / 60.0) + " in ALARM in total",
                        "",
                        fired > 0 ? Verdict.WATCH : Verdict.OK,
                        String.join("; ", names),
                        null)
                .number("fired", fired)
                .number("minutesInAlarm", Format.round(inAlarm.toSeconds() / 60.0)));
    }

    /**
     * Alarms in ALARM now whose state has not changed since before the window began (and so have no
     * history in it): each held ALARM for the whole window. {@code seen}: alarms with history in it.
     */
    private Map<String, Duration> heldThrough(java.util.Set<String> seen) {
        Map<String, Duration> out = new TreeMap<>();
        for (ReportReads.AlarmNow a : reads.alarmsInAlarm()) {
            held(a.name(), a.since(), seen).ifPresent(d -> out.put(a.name(), d));
        }
        return out;
    }

    private java.util.Optional<Duration> held(String name, Instant since, java.util.Set<String> seen) {
        return !seen.contains(name) && since != null && !since.isAfter(period.start())
                ? java.util.Optional.of(Duration.between(period.start(), period.end()))
                : java.util.Optional.empty();
    }

    /** One alarm's transitions into ALARM in the window and its time in ALARM, clipped to the window. */
    record AlarmTime(int fired, Duration inAlarm) {}

    static AlarmTime alarmTime(List<AlarmHistoryItem> ascending, Instant start, Instant end) {
        int fired = 0;
        Duration total = Duration.ZERO;
        Instant since = null;
        boolean first = true;
        for (AlarmHistoryItem i : ascending) {
            Matcher m = TRANSITION.matcher(i.historySummary() == null ? "" : i.historySummary());
            if (!m.find()) {
                continue;
            }
            if (first && m.group(1).equals("ALARM")) {
                since = start; // it was already in ALARM when the window began
            }
            first = false;
            if (m.group(2).equals("ALARM") && !m.group(1).equals("ALARM")) {
                fired++;
                since = i.timestamp();
            } else if (!m.group(2).equals("ALARM") && since != null) {
                total = total.plus(Duration.between(since, i.timestamp()));
                since = null;
            }
        }
        if (since != null) {
            total = total.plus(Duration.between(since, end));
        }
        return new AlarmTime(fired, total);
    }
}
