package com.kfood.ops.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Availability and the SLA, from the health check's per-minute {@code Success} metric of each
 * check: good minutes (Sum), measured minutes (SampleCount), not-measured minutes apart, error
 * budget and burn rate against the target. "Overall" is conservative: a minute down in any check
 * counts as down (the checks' down minutes are added, never netted against each other).
 */
final class AvailabilitySource extends Source {
    private record Check(String name, String goodKey, String measuredKey, String goodSeries, String measuredSeries) {}

    private final MetricCatalog catalog;
    private final ReportPeriod period;
    private final double target;
    private final List<Check> checks = new ArrayList<>();

    AvailabilitySource(MetricCatalog catalog, ReportPeriod period, double target) {
        super("availability", "Availability / SLA", EnumSet.allOf(ReportKind.class));
        this.catalog = catalog;
        this.period = period;
        this.target = target;
    }

    @Override
    void plan(Metrics metrics) {
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
        double measuredNow = 0, badNow = 0, measuredBefore = 0, badBefore = 0;
        List<Chart.Line> lines = new ArrayList<>();
        List<Item> checkItems = new ArrayList<>();
        for (Check c : checks) {
            Sla now = new Sla(
                    metrics.current(c.goodKey()).orElse(0),
                    metrics.current(c.measuredKey()).orElse(0),
                    minutes,
                    target);
            Sla before = new Sla(
                    metrics.previous(c.goodKey()).orElse(0),
                    metrics.previous(c.measuredKey()).orElse(0),
                    previousMinutes,
                    target);
            measuredNow = Math.max(measuredNow, now.measured());
            badNow += now.badMinutes();
            measuredBefore = Math.max(measuredBefore, before.measured());
            badBefore += before.badMinutes();
            checkItems.add(item("check " + c.name(), now, before));
            lines.add(new Chart.Line(c.name(), daily(metrics, c)));
        }
        Sla overall = new Sla(measuredNow - Math.min(measuredNow, badNow), measuredNow, minutes, target);
        Sla overallBefore =
                new Sla(measuredBefore - Math.min(measuredBefore, badBefore), measuredBefore, previousMinutes, target);
        section.item(item("overall (a minute down in any check counts)", overall, overallBefore));
        String budget = String.format(
                Locale.ROOT,
                "%s of %s left, burn rate %.2f",
                Format.minutes(overall.budgetLeftMinutes()),
                Format.minutes(overall.budgetMinutes()),
                overall.burnRate());
        Item sla = new Item(
                        "SLA " + Format.percent(target, 2) + ": error budget",
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
                    Format.percent(overall.availabilityPercent(), 3),
                    Format.percent(target, 2),
                    Format.minutes(overall.badMinutes())));
        }
        section.chart(new Chart("availability", "Availability per check", "%", period.bucketLabels(), lines));
        return section.build();
    }

    private Item item(String label, Sla now, Sla before) {
        String value = Format.percent(now.availabilityPercent(), 3) + " (" + Format.minutes(now.badMinutes())
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
