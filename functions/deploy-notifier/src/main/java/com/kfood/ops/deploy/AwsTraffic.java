package com.kfood.ops.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The load balancer's metrics for a deployment: the target groups' load balancers from ELB, then
 * three GetMetricData calls (the minutes, the window's p95, the hour before's p95), whatever the
 * number of target groups. AWS's exceptions pass through: the verdict says it was not measured.
 */
public final class AwsTraffic implements Traffic {
    private static final String NS = "AWS/ApplicationELB";

    private final ElasticLoadBalancingV2Client elb;
    private final CloudWatchClient cloudWatch;

    public AwsTraffic(ElasticLoadBalancingV2Client elb, CloudWatchClient cloudWatch) {
        this.elb = elb;
        this.cloudWatch = cloudWatch;
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            () -> elb.describeTargetGroups(b -> b.names("priming")),
            () -> cloudWatch.getMetricData(b -> b.startTime(Instant.EPOCH)
                    .endTime(Instant.EPOCH.plusSeconds(60))
                    .metricDataQueries(query("p", "RequestCount", Map.of("LoadBalancer", "app/priming/0"), "Sum", 60)))
        };
    }

    @Override
    public List<Target> targets(List<String> targetGroups) {
        boolean byArn = targetGroups.stream().allMatch(g -> g.startsWith("arn:"));
        List<TargetGroup> groups = elb.describeTargetGroups(b -> {
                    if (byArn) {
                        b.targetGroupArns(targetGroups);
                    } else {
                        b.names(targetGroups);
                    }
                })
                .targetGroups();
        List<Target> out = new ArrayList<>();
        for (TargetGroup g : groups) {
            for (String lb : g.loadBalancerArns()) {
                out.add(new Target(resource(lb).substring("loadbalancer/".length()), resource(g.targetGroupArn())));
            }
        }
        return out;
    }

    /** An ARN's resource part ({@code loadbalancer/app/name/id}, {@code targetgroup/name/id}): CloudWatch's names. */
    private static String resource(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    @Override
    public TrafficWindow read(List<Target> targets, Instant baselineFrom, Instant from, Instant to) {
        List<MetricDataQuery> minutes = new ArrayList<>();
        List<MetricDataQuery> p95 = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Map<String, String> dims = Map.of(
                    "LoadBalancer",
                    targets.get(i).loadBalancer(),
                    "TargetGroup",
                    targets.get(i).targetGroup());
            minutes.add(query("h" + i, "HealthyHostCount", dims, "Minimum", 60));
            minutes.add(query("u" + i, "UnHealthyHostCount", dims, "Maximum", 60));
            minutes.add(query("t" + i, "HTTPCode_Target_5XX_Count", dims, "Sum", 60));
            minutes.add(query("r" + i, "RequestCount", dims, "Sum", 60));
            p95.add(query("p" + i, "TargetResponseTime", dims, "p95", 0));
        }
        int j = 0;
        for (String lb :
                new LinkedHashSet<>(targets.stream().map(Target::loadBalancer).toList())) {
            minutes.add(query("e" + j++, "HTTPCode_ELB_5XX_Count", Map.of("LoadBalancer", lb), "Sum", 60));
        }
        Map<String, Map<Instant, Double>> series = fetch(baselineFrom, to, minutes);
        List<TrafficWindow.Minute> out = new ArrayList<>();
        for (Instant t = baselineFrom; t.isBefore(to); t = t.plus(Duration.ofMinutes(1))) {
            out.add(new TrafficWindow.Minute(
                    t,
                    sum(series, "h", t),
                    sum(series, "u", t),
                    sum(series, "t", t),
                    sum(series, "e", t),
                    sum(series, "r", t)));
        }
        return new TrafficWindow(out, highest(from, to, p95), highest(baselineFrom, from, p95));
    }

    /** The highest target group's p95 over the whole span (one period: CloudWatch's own percentile). */
    private OptionalDouble highest(Instant from, Instant to, List<MetricDataQuery> queries) {
        int period = (int) Duration.between(from, to).toSeconds();
        List<MetricDataQuery> whole = queries.stream()
                .map(q -> q.toBuilder()
                        .metricStat(q.metricStat().toBuilder().period(period).build())
                        .build())
                .toList();
        return fetch(from, to, whole).values().stream()
                .flatMap(m -> m.values().stream())
                .mapToDouble(Double::doubleValue)
                .max();
    }

    private Map<String, Map<Instant, Double>> fetch(Instant from, Instant to, List<MetricDataQuery> queries) {
        Map<String, Map<Instant, Double>> out = new HashMap<>();
        String token = null;
        do {
            String next = token;
            GetMetricDataResponse page = cloudWatch.getMetricData(b ->
                    b.startTime(from).endTime(to).metricDataQueries(queries).nextToken(next));
            for (MetricDataResult r : page.metricDataResults()) {
                Map<Instant, Double> byTime = out.computeIfAbsent(r.id(), k -> new HashMap<>());
                for (int i = 0; i < r.timestamps().size(); i++) {
                    byTime.put(r.timestamps().get(i), r.values().get(i));
                }
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** The minute's value summed over the series whose id starts with {@code prefix}; null if none has one. */
    private static Double sum(Map<String, Map<Instant, Double>> series, String prefix, Instant at) {
        Double total = null;
        for (Map.Entry<String, Map<Instant, Double>> e : series.entrySet()) {
            Double v = e.getKey().startsWith(prefix) ? e.getValue().get(at) : null;
            if (v != null) {
                total = total == null ? v : total + v;
            }
        }
        return total;
    }

    private static MetricDataQuery query(String id, String name, Map<String, String> dims, String stat, int period) {
        return MetricDataQuery.builder()
                .id(id)
                .returnData(true)
                .metricStat(s -> s.stat(stat)
                        .period(Math.max(60, period))
                        .metric(m -> m.namespace(NS)
                                .metricName(name)
                                .dimensions(dims.entrySet().stream()
                                        .map(d -> Dimension.builder()
                                                .name(d.getKey())
                                                .value(d.getValue())
                                                .build())
                                        .toList())))
                .build();
    }
}
