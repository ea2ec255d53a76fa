package com.kfood.ops.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Availability and the SLA, from the health check's per-minute {@code Success} metric of each
 * check: good minutes (Sum), measured minutes (SampleCount), not-measured minutes apart, error
 * budget and burn rate against the target. "Overall" counts a minute down in any check once: the
 * health check's own {@code AllChecksUp} (0/1 per run, the union computed where the checks ran)
 * where it was published; before that, per bucket the most down minutes of any one check (checks
 * down together are one outage, never added up), said as a lower bound.
 */
final class AvailabilitySource extends Source {
    private record Check(String name, String goodKey, String measuredKey, String goodSeries, String measuredSeries) {}

    private final MetricCatalog catalog;
    private final ReportPeriod period;
    private final double target;
    private final List<Check> checks = new ArrayList<>();
    /** The union per minute, as the health check publishes it: good and measured minutes; null before it did. */
    private Check union;

    AvailabilitySource(MetricCatalog catalog, ReportPeriod period, double target) {
        super("availability", "Availability / SLA", EnumSet.allOf(ReportKind.class));
        this.catalog = catalog;
        this.period = period;
        this.target = target;
    }

    @Override
    void plan(Metrics metrics) {
        for (Metrics.Metric m : catalog.named("AllChecksUp", "HealthCheckFunction")) {
            if (m.dimensions().size() == 1) {
                union = new Check(
                        "all",
                        metrics.total(m, "Sum"),
                        metrics.total(m, "SampleCount"),
                        metrics.series(m, "Sum"),
                        metrics.series(m, "SampleCount"));
            }
        }
        for (Metrics.Metric m : catalog.named("Success", "HealthCheckFunction")) {
            String name = m.dimensions().get("Check");
            if (name == null || m.dimensions().size() != 2) {
                continue;
            }
            checks.add(new Check(
                    name,
                    metrics.total(m, "Sum"),
                    metrics.total(m, "SampleCount"),
                    metrics.series(m, "Sum"),
                    metrics.series(m, "SampleCount")));
        }
    }

    @Override
    Section build(Metrics metrics) {
        if (checks.isEmpty()) {
            return Section.unavailable(
                    key(), title(), "no health check published Success in the last two weeks (HealthCheckFunction)");
        }
        Section.Builder section = new Section.Builder(key(), title());
        long minutes = period.minutes();
        long previousMinutes = period.previousLength().toMinutes();
        List<Chart.Line> lines = new ArrayList<>();
        List<Item> checkItems = new ArrayList<>();
        List<Sla> now = new ArrayList<>();
        List<Sla> before = new ArrayList<>();
        for (Check c : checks) {
            now.add(sla(metrics, c, true));
            before.add(sla(metrics, c, false));
            checkItems.add(item("check " + c.name(), now.getLast(), before.getLast()));
            lines.add(new Chart.Line(c.name(), daily(metrics, c)));
        }
        boolean exact = covers(metrics, true, now);
        Sla overall = exact ? sla(metrics, union, true) : perBucket(metrics, now);
        Sla overallBefore = covers(metrics, false, before) ? sla(metrics, union, false) : worstOf(before);
        section.item(item(
                exact
                        ? "overall (a minute down in any check counts once)"
                        : "overall (at least: per " + bucket() + " the most down minutes of any one check)",
                overall,
                overallBefore));
        String budget = String.format(
                Locale.ROOT,
                "%s of %s left, burn rate %.2f",
                Format.minutes(overall.budgetLeftMinutes()),
                Format.minutes(overall.budgetMinutes()),
                overall.burnRate());
        Item sla = new Item(
                        "SLA " + Format.target(target) + ": error budget",
                        budget,
                        "",
                        overall.verdict(),
                        period.kind() == ReportKind.MONTHLY
                                ? (overall.compliant() ? "compliant" : "not compliant")
                                : "",
                        null)
                .number("targetPercent", target)
                .number("budgetMinutes", Format.round(overall.budgetMinutes()))
                .number("budgetLeftMinutes", Format.round(overall.budgetLeftMinutes()))
                .number("burnRate", Format.round(overall.burnRate()))
                .number("compliant", overall.compliant());
        section.item(sla);
        checkItems.forEach(section::item);
        if (overall.verdict() == Verdict.ACT) {
            section.action(String.format(
                    Locale.ROOT,
                    "Availability %s is under the %s SLA (%s down): find the outage's cause",
                    Format.availability(overall.availabilityPercent(), 3, target),
                    Format.target(target),
                    Format.minutes(overall.badMinutes())));
        }
        section.chart(new Chart("availability", "Availability per check", "%", period.bucketLabels(), lines));
        return section.build();
    }

    private Item item(String label, Sla now, Sla before) {
        String value =
                Format.availability(now.availabilityPercent(), 3, target) + " (" + Format.minutes(now.badMinutes())
                        + " down, " + Format.minutes(now.notMeasuredMinutes()) + " not measured)";
        return new Item(
                        label,
                        value,
                        Format.points(now.availabilityPercent(), before.availabilityPercent(), 3),
                        now.verdict(),
                        "",
                        null)
                .number("availabilityPercent", Format.round(now.availabilityPercent()))
                .number("downMinutes", Format.round(now.badMinutes()))
                .number("measuredMinutes", Format.round(now.measured()))
                .number("notMeasuredMinutes", Format.round(now.notMeasuredMinutes()))
                .number("previousAvailabilityPercent", Format.round(before.availabilityPercent()));
    }

    /** True when the union metric was measured over (nearly) every minute a check was: then it alone is the answer. */
    private boolean covers(Metrics metrics, boolean current, List<Sla> perCheck) {
        if (union == null) {
            return false;
        }
        double measured =
                (current ? metrics.current(union.measuredKey()) : metrics.previous(union.measuredKey())).orElse(0);
        double checks = perCheck.stream().mapToDouble(Sla::measured).max().orElse(0);
        return measured > 0 && measured >= 0.99 * checks;
    }

    private Sla sla(Metrics metrics, Check c, boolean current) {
        return current
                ? new Sla(
                        metrics.current(c.goodKey()).orElse(0),
                        metrics.current(c.measuredKey()).orElse(0),
                        period.minutes(),
                        target)
                : new Sla(
                        metrics.previous(c.goodKey()).orElse(0),
                        metrics.previous(c.measuredKey()).orElse(0),
                        period.previousLength().toMinutes(),
                        target);
    }

    /**
     * Without the union metric: per chart bucket, the most down minutes and the most measured minutes
     * of any one check, added over the window. Checks down in the same minutes count them once; down
     * at different minutes of one bucket, it says less than the truth (hence "at least").
     */
    private Sla perBucket(Metrics metrics, List<Sla> totals) {
        double bad = 0;
        double measured = 0;
        boolean any = false;
        List<List<Double>> good = new ArrayList<>();
        List<List<Double>> counted = new ArrayList<>();
        for (Check c : checks) {
            good.add(metrics.seriesOf(c.goodSeries()).buckets(period.start(), period.end(), period.step()));
            counted.add(metrics.seriesOf(c.measuredSeries()).buckets(period.start(), period.end(), period.step()));
        }
        int buckets = good.isEmpty() ? 0 : good.getFirst().size();
        for (int b = 0; b < buckets; b++) {
            double worst = 0;
            double most = 0;
            for (int i = 0; i < checks.size(); i++) {
                Double g = good.get(i).get(b);
                Double m = counted.get(i).get(b);
                if (g != null && m != null) {
                    worst = Math.max(worst, m - g);
                    most = Math.max(most, m);
                    any = true;
                }
            }
            bad += worst;
            measured += most;
        }
        return any ? new Sla(measured - Math.min(measured, bad), measured, period.minutes(), target) : worstOf(totals);
    }

    /** The one check with the most down minutes: a lower bound of the union, from totals alone. */
    private Sla worstOf(List<Sla> slas) {
        double measured = slas.stream().mapToDouble(Sla::measured).max().orElse(0);
        double bad = slas.stream().mapToDouble(Sla::badMinutes).max().orElse(0);
        long minutes = slas.isEmpty() ? period.minutes() : slas.getFirst().windowMinutes();
        return new Sla(measured - Math.min(measured, bad), measured, minutes, target);
    }

    private String bucket() {
        return period.step().toHours() >= 24 ? "day" : "hour";
    }

    /** Each bucket's availability in percent (good / measured); null where nothing was measured. */
    private List<Double> daily(Metrics metrics, Check c) {
        List<Double> good = metrics.seriesOf(c.goodSeries()).buckets(period.start(), period.end(), period.step());
        List<Double> measured =
                metrics.seriesOf(c.measuredSeries()).buckets(period.start(), period.end(), period.step());
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            Double g = good.get(i);
            Double m = measured.get(i);
            out.add(g == null || m == null || m == 0 ? null : Format.round(100.0 * g / m));
        }
        return out;
    }
}
