package com.kfood.ops.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.rds.model.AccountQuota;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Capacity planning: each database's storage used against allocated and its autoscaling maximum,
 * the daily growth (least squares over the month's daily lowest free space) and the days until full
 * at that rate; tasks against the autoscaling maximum; the manual-snapshot quota's use.
 */
final class CapacitySource extends Source {
    private static final double GIB = 1L << 30;

    private final List<String> dbs;
    private final ReportReads reads;
    private final Databases databases;
    private final Fleet fleet;
    private final ReportPeriod period;
    private final Map<String, String> freeSeries = new LinkedHashMap<>();

    CapacitySource(List<String> dbs, ReportReads reads, Databases databases, Fleet fleet, ReportPeriod period) {
        super("capacity", "Capacity", EnumSet.of(ReportKind.MONTHLY));
        this.dbs = dbs;
        this.reads = reads;
        this.databases = databases;
        this.fleet = fleet;
        this.period = period;
    }

    @Override
    void plan(Metrics metrics) {
        for (String db : dbs) {
            freeSeries.put(
                    db,
                    metrics.series(
                            new Metrics.Metric("AWS/RDS", "FreeStorageSpace", Map.of("DBInstanceIdentifier", db)),
                            "Minimum"));
        }
    }

    @Override
    Section build(Metrics metrics) {
        Section.Builder section = new Section.Builder(key(), title());
        List<Chart.Line> lines = new ArrayList<>();
        for (String db : dbs) {
            try {
                DBInstance instance = databases.describe(db);
                double allocated = instance.allocatedStorage();
                double ceiling = instance.maxAllocatedStorage() != null ? instance.maxAllocatedStorage() : allocated;
                // each day's used storage against that day's volume: storage autoscaling grows it, and
                // today's size for every day would lift the old days and flatten the slope
                var sizes = databases.allocatedHistory(db);
                List<Double> used = new ArrayList<>();
                List<Double> allocatedByDay = new ArrayList<>();
                List<Double> free =
                        metrics.seriesOf(freeSeries.get(db)).buckets(period.start(), period.end(), period.step());
                Instant bucketEnd = period.start().plus(period.step());
                for (Double f : free) {
                    var then = sizes.floorEntry(bucketEnd);
                    double size = then == null ? allocated : then.getValue();
                    allocatedByDay.add(size);
                    used.add(f == null ? null : Format.round(size - f / GIB));
                    bucketEnd = bucketEnd.plus(period.step());
                }
                lines.add(new Chart.Line(db + " used", used));
                lines.add(new Chart.Line(db + " allocated", allocatedByDay));
                section.item(storage(db, allocated, ceiling, used, section));
            } catch (RuntimeException e) {
                section.item(Item.unavailable("storage " + db, Problems.describe(e)));
            }
        }
        try {
            for (Fleet.Tasks t : fleet.tasks()) {
                section.item(t.item());
            }
        } catch (RuntimeException e) {
            section.item(Item.unavailable("ECS tasks", Problems.describe(e)));
        }
        try {
            quota(section);
        } catch (RuntimeException e) {
            section.item(Item.unavailable("manual snapshot quota", Problems.describe(e)));
        }
        section.chart(new Chart("storage", "RDS storage used per day", "GiB", period.bucketLabels(), lines));
        return section.build();
    }

    private Item storage(String db, double allocated, double ceiling, List<Double> used, Section.Builder section) {
        var growth = Growth.of(used);
        if (growth.isEmpty()) {
            return Item.unavailable("storage " + db, "fewer than two days of FreeStorageSpace in the window");
        }
        Growth g = growth.get();
        var days = g.daysUntil(ceiling);
        Verdict v = days.isPresent() && days.getAsDouble() < 30
                ? Verdict.ACT
                : days.isPresent() && days.getAsDouble() < 90 ? Verdict.WATCH : Verdict.OK;
        String full =
                days.isPresent() ? String.format(Locale.ROOT, "full in %.0f days", days.getAsDouble()) : "not growing";
        if (v == Verdict.ACT) {
            section.action("RDS " + db + " storage is " + full + " at " + Format.gib(g.perDay())
                    + "/day: raise its maximum or clean up");
        }
        return new Item(
                        "storage " + db,
                        full + ": " + Format.gib(g.latest()) + " of " + Format.gib(allocated) + " used (maximum "
                                + Format.gib(ceiling) + "), +" + Format.gib(g.perDay()) + " a day",
                        "",
                        v,
                        "",
                        null)
                .number("usedGiB", Format.round(g.latest()))
                .number("allocatedGiB", allocated)
                .number("maxGiB", ceiling)
                .number("growthGiBPerDay", Format.round(g.perDay()))
                .number("daysUntilFull", days.isPresent() ? Format.round(days.getAsDouble()) : null);
    }

    private void quota(Section.Builder section) {
        for (AccountQuota q : reads.accountQuotas()) {
            if ("ManualSnapshots".equals(q.accountQuotaName())) {
                double share = q.max() > 0 ? 100.0 * q.used() / q.max() : Double.NaN;
                Verdict v = share >= 90 ? Verdict.ACT : share >= 80 ? Verdict.WATCH : Verdict.OK;
                section.item(new Item(
                                "manual snapshot quota",
                                q.used() + " of " + q.max() + " (" + Format.percent(share, 0) + ")",
                                "",
                                v,
                                "",
                                null)
                        .number("used", q.used())
                        .number("max", q.max()));
                return;
            }
        }
        section.item(Item.unavailable("manual snapshot quota", "RDS returned no ManualSnapshots quota"));
    }
}
