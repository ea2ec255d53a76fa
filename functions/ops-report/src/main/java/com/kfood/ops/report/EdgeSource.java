package com.kfood.ops.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * The edge, daily: the load balancer's 4xx (targets' and its own), each WAF rule's blocked requests
 * against its usual ({@link WafRules}), and each CloudFront distribution's requests, error rates and
 * cache hit rate. WAF rules and distributions are found with ListMetrics, in this region and in
 * us-east-1 (where CloudFront and a CloudFront web ACL publish), so nothing needs configuring.
 */
final class EdgeSource extends Source {
    private static final String ALB = "AWS/ApplicationELB";

    /** The thresholds the template's alarms use: the load balancer's 4xx share, CloudFront's 5xx rate (%). */
    record Limits(double clientErrorPercent, double cdn5xxPercent) {}

    private final ReportReads reads;
    private final Optional<String> alb;
    private final ReportPeriod period;
    private final Limits limits;
    private final Map<String, String> keys = new HashMap<>();

    EdgeSource(ReportReads reads, Optional<String> alb, ReportPeriod period, Limits limits) {
        super("edge", "Edge: load balancer, WAF, CloudFront", EnumSet.of(ReportKind.DAILY));
        this.reads = reads;
        this.alb = alb;
        this.period = period;
        this.limits = limits;
    }

    @Override
    void plan(Metrics metrics) {
        alb.ifPresent(name -> {
            Map<String, String> dims = Map.of("LoadBalancer", name);
            for (String m : List.of("HTTPCode_Target_4XX_Count", "HTTPCode_ELB_4XX_Count", "RequestCount")) {
                keys.put(m, metrics.total(new Metrics.Metric(ALB, m, dims), "Sum"));
            }
        });
    }

    @Override
    Section build(Metrics metrics) {
        Section.Builder section = new Section.Builder(key(), title());
        section.item(
                alb.isEmpty()
                        ? Item.unavailable(
                                "load balancer 4xx", "ALB_FULL_NAME is not set (stack parameter AlbFullName)")
                        : clientErrors(metrics));
        List<WafRules.Rule> rules = wafRules();
        if (rules.isEmpty()) {
            section.item(Item.of("WAF", "no WAF rule publishes metrics here or in us-east-1", Verdict.UNKNOWN));
        }
        for (Item item : waf(rules)) {
            section.item(item);
            if (item.verdict() == Verdict.WATCH || item.verdict() == Verdict.ACT) {
                section.action(item.label() + ": " + item.trend()
                        + " its usual, an attack or a false positive: read its sampled requests");
            }
        }
        List<String> distributions = distributions();
        if (distributions.isEmpty()) {
            section.item(Item.of("CloudFront", "no distribution publishes metrics in us-east-1", Verdict.UNKNOWN));
        }
        for (Item item : cloudFront(distributions)) {
            section.item(item);
            if (item.verdict() == Verdict.ACT) {
                section.action(item.label() + " answers " + item.value() + ": read its origin's health");
            }
        }
        return section.build();
    }

    private Item clientErrors(Metrics metrics) {
        double target = metrics.current(keys.get("HTTPCode_Target_4XX_Count")).orElse(0);
        double own = metrics.current(keys.get("HTTPCode_ELB_4XX_Count")).orElse(0);
        // the load balancer's own 4xx never reach RequestCount
        double requests = metrics.current(keys.get("RequestCount")).orElse(0) + own;
        if (requests <= 0) {
            return Item.unavailable("load balancer 4xx", "no requests in the window");
        }
        double rate = 100 * (target + own) / requests;
        Verdict v = rate >= limits.clientErrorPercent()
                ? Verdict.ACT
                : rate >= limits.clientErrorPercent() / 2 ? Verdict.WATCH : Verdict.OK;
        return new Item(
                        "load balancer 4xx",
                        Format.percent(rate, 2) + " of " + Format.count(requests) + " requests",
                        "targets " + Format.count(target) + ", load balancer itself " + Format.count(own)
                                + " (alarm at " + Format.percent(limits.clientErrorPercent(), 0) + ")",
                        v,
                        "",
                        null)
                .number("ratePercent", Format.round(rate))
                .number("target4xx", target)
                .number("loadBalancer4xx", own);
    }

    private List<WafRules.Rule> wafRules() {
        Map<String, WafRules.Rule> rules = new LinkedHashMap<>();
        for (boolean edge : List.of(false, true)) {
            for (Metric m : edge ? reads.edgeMetrics("AWS/WAFV2") : reads.metrics("AWS/WAFV2")) {
                Map<String, String> dims = new LinkedHashMap<>();
                m.dimensions().forEach(d -> dims.put(d.name(), d.value()));
                String rule = dims.get("Rule");
                if (!"BlockedRequests".equals(m.metricName()) || rule == null || rule.equals("ALL")) {
                    continue;
                }
                rules.putIfAbsent(
                        edge + "|" + dims,
                        new WafRules.Rule(dims.getOrDefault("WebACL", "?"), rule, Map.copyOf(dims), edge));
            }
        }
        return List.copyOf(rules.values());
    }

    /** Every rule's hourly sums since 7 days before the window: one GetMetricData per region. */
    private List<Item> waf(List<WafRules.Rule> rules) {
        Instant from = period.start().minus(Duration.ofDays(WafRules.HISTORY_DAYS));
        List<Item> items = new ArrayList<>();
        for (boolean edge : List.of(false, true)) {
            Map<String, MetricDataQuery> queries = new LinkedHashMap<>();
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).edge() == edge) {
                    Map<String, String> dims = rules.get(i).dimensions();
                    queries.put("b" + i, query("b" + i, "AWS/WAFV2", "BlockedRequests", dims, "Sum"));
                    queries.put("a" + i, query("a" + i, "AWS/WAFV2", "AllowedRequests", dims, "Sum"));
                }
            }
            if (queries.isEmpty()) {
                continue;
            }
            Map<String, Map<Instant, Double>> hourly = fetch(edge, from, period.end(), 3600, queries);
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).edge() == edge) {
                    items.add(WafRules.item(
                            rules.get(i),
                            hourly.getOrDefault("b" + i, Map.of()),
                            hourly.getOrDefault("a" + i, Map.of()),
                            period.start(),
                            period.end(),
                            period.zone()));
                }
            }
        }
        return items;
    }

    private List<String> distributions() {
        return reads.edgeMetrics("AWS/CloudFront").stream()
                .filter(m -> "Requests".equals(m.metricName()))
                .flatMap(m -> m.dimensions().stream())
                .filter(d -> d.name().equals("DistributionId"))
                .map(Dimension::value)
                .distinct()
                .sorted()
                .toList();
    }

    /** Every distribution's window in one GetMetricData (us-east-1). */
    private List<Item> cloudFront(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, MetricDataQuery> queries = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> dims = Map.of("DistributionId", ids.get(i), "Region", "Global");
            queries.put("r" + i, query("r" + i, "AWS/CloudFront", "Requests", dims, "Sum"));
            queries.put("f" + i, query("f" + i, "AWS/CloudFront", "4xxErrorRate", dims, "Average"));
            queries.put("g" + i, query("g" + i, "AWS/CloudFront", "5xxErrorRate", dims, "Average"));
            queries.put("c" + i, query("c" + i, "AWS/CloudFront", "CacheHitRate", dims, "Average"));
        }
        Map<String, Map<Instant, Double>> got =
                fetch(true, period.start(), period.end(), (int) period.length().toSeconds(), queries);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            items.add(distribution(ids.get(i), got, String.valueOf(i)));
        }
        return items;
    }

    private Item distribution(String id, Map<String, Map<Instant, Double>> got, String n) {
        // the window is one period; an emulator may answer it in several: requests add up, a rate is one
        Function<String, Double> total = k -> got.getOrDefault(k + n, Map.of()).values().stream()
                .reduce((a, b) -> k.equals("r") ? a + b : a)
                .orElse(null);
        Double requests = total.apply("r");
        if (requests == null) {
            return Item.unavailable("CloudFront " + id, "no requests in the window");
        }
        double e4 = orNaN(total.apply("f"));
        double e5 = orNaN(total.apply("g"));
        Double hit = total.apply("c");
        Verdict v = e5 >= limits.cdn5xxPercent()
                ? Verdict.ACT
                : e5 >= limits.cdn5xxPercent() / 2 || e4 >= 10 ? Verdict.WATCH : Verdict.OK;
        return new Item(
                        "CloudFront " + id,
                        Format.count(requests) + " requests, 4xx " + Format.percent(e4, 2) + ", 5xx "
                                + Format.percent(e5, 2),
                        hit == null
                                ? "cache hit rate not published (CloudFront's additional metrics are off)"
                                : "cache hit " + Format.percent(hit, 1),
                        v,
                        "",
                        null)
                .number("requests", requests)
                .number("error4xxPercent", Format.round(e4))
                .number("error5xxPercent", Format.round(e5))
                .number("cacheHitPercent", hit == null ? null : Format.round(hit));
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    /** Values by query id and timestamp, every page read. */
    private Map<String, Map<Instant, Double>> fetch(
            boolean edge, Instant from, Instant to, int period, Map<String, MetricDataQuery> queries) {
        List<MetricDataQuery> withPeriod = new ArrayList<>();
        queries.values()
                .forEach(q -> withPeriod.add(q.toBuilder()
                        .metricStat(q.metricStat().toBuilder().period(period).build())
                        .build()));
        Map<String, Map<Instant, Double>> out = new HashMap<>();
        String token = null;
        do {
            GetMetricDataResponse page = edge
                    ? reads.edgeMetricData(from, to, withPeriod, token)
                    : reads.metricData(from, to, withPeriod, token);
            for (MetricDataResult r : page.metricDataResults()) {
                for (int i = 0; i < r.timestamps().size(); i++) {
                    out.computeIfAbsent(r.id(), k -> new HashMap<>())
                            .merge(r.timestamps().get(i), r.values().get(i), Double::sum);
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static MetricDataQuery query(
            String id, String namespace, String name, Map<String, String> dims, String stat) {
        return Metrics.query(id, new Metrics.Metric(namespace, name, dims), stat, 60);
    }
}
