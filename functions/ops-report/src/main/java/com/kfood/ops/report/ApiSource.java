package com.kfood.ops.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API response time and errors at the load balancer: TargetResponseTime percentiles (CloudWatch's
 * own, over the whole window), request count, 4xx and 5xx rates, each against the previous window.
 */
final class ApiSource extends Source {
    private static final String NS = "AWS/ApplicationELB";
    private static final double SLOW_SECONDS = 1.0;

    private final Optional<String> alb;
    private final ReportPeriod period;
    private final Map<String, String> keys = new HashMap<>();

    ApiSource(Optional<String> alb, ReportPeriod period) {
        super("api", "API response time", EnumSet.allOf(ReportKind.class));
        this.alb = alb;
        this.period = period;
    }

    @Override
    void plan(Metrics metrics) {
        if (alb.isEmpty()) {
            return;
        }
        Map<String, String> dims = Map.of("LoadBalancer", alb.get());
        Metrics.Metric latency = new Metrics.Metric(NS, "TargetResponseTime", dims);
        for (String p : List.of("p50", "p95", "p99")) {
            keys.put(p, metrics.total(latency, p));
        }
        keys.put("requests", metrics.total(new Metrics.Metric(NS, "RequestCount", dims), "Sum"));
        keys.put("4xx", metrics.total(new Metrics.Metric(NS, "HTTPCode_Target_4XX_Count", dims), "Sum"));
        keys.put("5xx", metrics.total(new Metrics.Metric(NS, "HTTPCode_Target_5XX_Count", dims), "Sum"));
        keys.put("elb5xx", metrics.total(new Metrics.Metric(NS, "HTTPCode_ELB_5XX_Count", dims), "Sum"));
        keys.put("p95Series", metrics.series(latency, "p95"));
        keys.put("requestSeries", metrics.series(new Metrics.Metric(NS, "RequestCount", dims), "Sum"));
    }

    @Override
    Section build(Metrics metrics) {
        if (alb.isEmpty()) {
            return Section.unavailable(key(), title(), "ALB_FULL_NAME is not set (stack parameter AlbFullName)");
        }
        Section.Builder section = new Section.Builder(key(), title());
        latency(metrics, section);
        double requests = metrics.current(keys.get("requests")).orElse(0);
        double requestsBefore = metrics.previous(keys.get("requests")).orElse(0);
        section.item(new Item(
                        "requests",
                        Format.count(requests),
                        Format.change(requests, requestsBefore, Format.count(requestsBefore)),
                        Verdict.OK,
                        "",
                        null)
                .number("requests", requests)
                .number("previousRequests", requestsBefore));
        section.item(rateItem(
                "4xx rate",
                metrics.current(keys.get("4xx")).orElse(0),
                requests,
                metrics.previous(keys.get("4xx")).orElse(0),
                requestsBefore,
                5.0,
                10.0));
        double errors5xx = metrics.current(keys.get("5xx")).orElse(0)
                + metrics.current(keys.get("elb5xx")).orElse(0);
        double errors5xxBefore = metrics.previous(keys.get("5xx")).orElse(0)
                + metrics.previous(keys.get("elb5xx")).orElse(0);
        Item five = rateItem(
                "5xx rate (targets and load balancer)", errors5xx, requests, errors5xxBefore, requestsBefore, 0.1, 1.0);
        section.item(five);
        if (five.verdict() == Verdict.ACT) {
            section.action("5xx rate is " + five.value() + ": read the Errors section and the backend's logs");
        }
        List<Chart.Line> p95Line = List.of(new Chart.Line(
                "p95",
                scale(metrics.seriesOf(keys.get("p95Series")).buckets(period.start(), period.end(), period.step()))));
        section.chart(new Chart("latency", "API latency p95", "ms", period.bucketLabels(), p95Line));
        return section.build();
    }

    /** p50, p95 and p99 of the targets' response time, p95 against the previous period. */
    private void latency(Metrics metrics, Section.Builder section) {
        double p50 = metrics.current(keys.get("p50")).orElse(Double.NaN);
        double p95 = metrics.current(keys.get("p95")).orElse(Double.NaN);
        double p99 = metrics.current(keys.get("p99")).orElse(Double.NaN);
        double p95Before = metrics.previous(keys.get("p95")).orElse(Double.NaN);
        if (Double.isNaN(p95)) {
            section.item(Item.unavailable("latency p50 / p95 / p99", "no TargetResponseTime datapoints in the window"));
        } else {
            Verdict v = p95 >= SLOW_SECONDS ? Verdict.ACT : p95 > 1.25 * p95Before ? Verdict.WATCH : Verdict.OK;
            section.item(new Item(
                            "latency p50 / p95 / p99",
                            Format.millis(p50) + " / " + Format.millis(p95) + " / " + Format.millis(p99),
                            "p95 " + Format.change(p95, p95Before, Format.millis(p95Before)),
                            v,
                            "",
                            null)
                    .number("p50Ms", Format.round(p50 * 1000))
                    .number("p95Ms", Format.round(p95 * 1000))
                    .number("p99Ms", Format.round(p99 * 1000))
                    .number("previousP95Ms", Format.round(p95Before * 1000)));
            if (v == Verdict.ACT) {
                section.action("API p95 latency is " + Format.millis(p95) + " (" + Format.millis(SLOW_SECONDS)
                        + " or more): look at the slowest endpoints and the database");
            }
        }
    }

    private static Item rateItem(
            String label,
            double errors,
            double requests,
            double errorsBefore,
            double requestsBefore,
            double watch,
            double act) {
        double rate = requests > 0 ? 100 * errors / requests : Double.NaN;
        double before = requestsBefore > 0 ? 100 * errorsBefore / requestsBefore : Double.NaN;
        Verdict v = Double.isNaN(rate)
                ? Verdict.UNKNOWN
                : rate >= act ? Verdict.ACT : rate >= watch ? Verdict.WATCH : Verdict.OK;
        return new Item(
                        label,
                        Format.percent(rate, 3) + " (" + Format.count(errors) + " responses)",
                        Format.points(rate, before, 3),
                        v,
                        "",
                        null)
                .number("ratePercent", Format.round(rate))
                .number("responses", errors)
                .number("previousRatePercent", Format.round(before));
    }

    private static List<Double> scale(List<Double> seconds) {
        List<Double> out = new ArrayList<>();
        for (Double s : seconds) {
            out.add(s == null ? null : Format.round(s * 1000));
        }
        return out;
    }
}
