package com.kfood.ops.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageRequest;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageResponse;
import software.amazon.awssdk.services.costexplorer.model.Granularity;
import software.amazon.awssdk.services.costexplorer.model.Group;
import software.amazon.awssdk.services.costexplorer.model.GroupDefinitionType;
import software.amazon.awssdk.services.costexplorer.model.MetricValue;
import software.amazon.awssdk.services.costexplorer.model.ResultByTime;

/**
 * Cost: Cost Explorer's unblended cost by service for the window against the previous one, and the
 * top movers. Cost Explorer bills every request, so one request covers both windows (daily for the
 * weekly report, monthly for the monthly one) and at most one more follows a page token.
 */
final class CostSource extends Source {
    static final int MAX_CALLS = 2;

    private final boolean enabled;
    private final ReportReads reads;
    private final ReportPeriod period;
    private final Instant now;
    private int calls;

    /** {@code now}: when the report runs; the UTC day it falls in is not complete and is left out. */
    /** {@code enabled}: the configuration reads Cost Explorer (COST_EXPLORER). */
    CostSource(boolean enabled, ReportReads reads, ReportPeriod period, Instant now) {
        super("cost", "Cost", EnumSet.of(ReportKind.WEEKLY, ReportKind.MONTHLY));
        this.enabled = enabled;
        this.reads = reads;
        this.period = period;
        this.now = now;
    }

    int calls() {
        return calls;
    }

    @Override
    Section build(Metrics metrics) {
        if (!enabled) {
            return Section.unavailable(key(), title(), "COST_EXPLORER is false");
        }
        // Cost Explorer's days are UTC calendar days: the report's dates, up to the last complete UTC day
        LocalDate from = period.previousFirstDay();
        LocalDate middle = period.firstDay();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate to = period.endDay().isAfter(today) ? today : period.endDay();
        boolean cut = to.isBefore(period.endDay());
        Granularity granularity = period.kind() == ReportKind.MONTHLY && !cut ? Granularity.MONTHLY : Granularity.DAILY;
        String covered = "Cost Explorer's UTC days " + middle + " to " + to.minusDays(1)
                + (cut ? " (" + period.endDay().minusDays(1) + " UTC is not complete yet)" : "");
        Costs costs = fetch(from, middle, to, granularity);
        Map<String, double[]> byService = costs.byService();
        String unit = costs.unit();
        boolean truncated = costs.truncated();
        if (byService.isEmpty()) {
            return Section.unavailable(key(), title(), "Cost Explorer returned no cost for " + from + " to " + to);
        }
        double now = byService.values().stream().mapToDouble(v -> v[0]).sum();
        double before = byService.values().stream().mapToDouble(v -> v[1]).sum();
        Section.Builder section = new Section.Builder(key(), title());
        Verdict v = before > 0 && now > 1.2 * before ? Verdict.WATCH : Verdict.OK;
        section.item(new Item(
                        "total (" + unit + ")",
                        Format.usd(now),
                        Format.change(now, before, Format.usd(before)),
                        v,
                        covered
                                + (truncated
                                        ? "; more services than two Cost Explorer pages hold: the rest are left out"
                                        : ""),
                        null)
                .number("costUsd", Format.round(now))
                .number("previousCostUsd", Format.round(before)));
        List<Map.Entry<String, double[]>> movers = new ArrayList<>(byService.entrySet());
        movers.sort((a, b) -> Double.compare(
                Math.abs(b.getValue()[0] - b.getValue()[1]), Math.abs(a.getValue()[0] - a.getValue()[1])));
        for (var e : movers.subList(0, Math.min(3, movers.size()))) {
            double delta = e.getValue()[0] - e.getValue()[1];
            section.item(new Item(
                            "mover: " + e.getKey(),
                            Format.usd(e.getValue()[0]) + String.format(Locale.ROOT, " (%+.2f)", delta),
                            Format.change(e.getValue()[0], e.getValue()[1], Format.usd(e.getValue()[1])),
                            Verdict.OK,
                            "",
                            null)
                    .number("costUsd", Format.round(e.getValue()[0]))
                    .number("previousCostUsd", Format.round(e.getValue()[1])));
        }
        if (v == Verdict.WATCH) {
            section.action("Cost rose " + Format.change(now, before, Format.usd(before)) + "; the largest mover is "
                    + movers.getFirst().getKey());
        }
        return section.build();
    }

    /** Each service's cost in this period [0] and the previous one [1], page by page, at most MAX_CALLS. */
    private record Costs(Map<String, double[]> byService, String unit, boolean truncated) {}

    private Costs fetch(LocalDate from, LocalDate middle, LocalDate to, Granularity granularity) {
        Map<String, double[]> byService = new TreeMap<>();
        String token = null;
        boolean truncated = false;
        String unit = "USD";
        do {
            if (calls >= MAX_CALLS) {
                truncated = true;
                break;
            }
            String next = token;
            calls++;
            GetCostAndUsageResponse r = reads.costAndUsage(GetCostAndUsageRequest.builder()
                    .timePeriod(t -> t.start(from.toString()).end(to.toString()))
                    .granularity(granularity)
                    .metrics("UnblendedCost")
                    .groupBy(g -> g.type(GroupDefinitionType.DIMENSION).key("SERVICE"))
                    .nextPageToken(next)
                    .build());
            for (ResultByTime day : r.resultsByTime()) {
                LocalDate start = LocalDate.parse(day.timePeriod().start());
                if (start.isBefore(from) || !start.isBefore(to)) {
                    continue;
                }
                int slot = start.isBefore(middle) ? 1 : 0;
                for (Group g : day.groups()) {
                    MetricValue cost = g.metrics().get("UnblendedCost");
                    if (cost == null || g.keys().isEmpty()) {
                        continue;
                    }
                    unit = cost.unit() == null ? unit : cost.unit();
                    byService.computeIfAbsent(g.keys().getFirst(), k -> new double[2])[slot] +=
                            Double.parseDouble(cost.amount());
                }
            }
            token = r.nextPageToken();
        } while (token != null && !token.isEmpty());
        return new Costs(byService, unit, truncated);
    }
}
