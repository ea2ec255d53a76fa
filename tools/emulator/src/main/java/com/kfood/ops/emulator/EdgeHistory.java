package com.kfood.ops.emulator;

import com.kfood.ops.shared.AwsClients;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/**
 * The edge's last 8 days as us-east-1 holds them (CloudFront and its web ACL publish there): the
 * CloudFront web ACL's rate-limit rule blocking about 30 an hour, and 450 in one hour five hours ago
 * (15 times its usual: WATCH); the SQL-injection rule blocking about 12 an hour; the distribution's
 * requests, 4xx and 5xx error rates and cache hit rate. One datapoint per hour.
 */
public final class EdgeHistory {
    public static final String WEB_ACL = "kfood-edge-acl";
    public static final String RATE_RULE = "RateLimitPerIP";
    public static final String SQLI_RULE = "AWS-AWSManagedRulesSQLiRuleSet";
    public static final String DISTRIBUTION = "E2KFOODSHORTS01";
    /** The rate-limit rule's hour of many blocks: this many hours before now. */
    public static final int BURST_HOURS_AGO = 5;

    public static final double BURST = 450;

    private final CloudWatchClient cloudWatch;
    private final Instant now;

    public EdgeHistory(AwsClients aws, Instant now) {
        System.setProperty("aws.disableRequestCompression", "true");
        this.cloudWatch = aws.build(CloudWatchClient.builder(), "CLOUDWATCH", Region.US_EAST_1);
        this.now = now.truncatedTo(ChronoUnit.HOURS);
    }

    /** Seeds the 8 days; returns the datapoints put. */
    public int seed() {
        List<MetricDatum> waf = new ArrayList<>();
        List<MetricDatum> cdn = new ArrayList<>();
        Instant burst = now.minus(Duration.ofHours(BURST_HOURS_AGO));
        for (Instant h = now.minus(Duration.ofDays(8)); h.isBefore(now); h = h.plus(Duration.ofHours(1))) {
            Instant at = h.plus(Duration.ofMinutes(30));
            int wobble = (int) (h.getEpochSecond() / 3600 % 5);
            waf.add(datum("BlockedRequests", at, h.equals(burst) ? BURST : 28 + wobble, RATE_RULE));
            waf.add(datum("AllowedRequests", at, 9_000 + 100 * wobble, RATE_RULE));
            waf.add(datum("BlockedRequests", at, 10 + wobble, SQLI_RULE));
            waf.add(datum("AllowedRequests", at, 9_000 + 100 * wobble, SQLI_RULE));
            List<Dimension> dist = List.of(dim("DistributionId", DISTRIBUTION), dim("Region", "Global"));
            cdn.add(metric("Requests", dist, at, 42_000 + 1_000 * wobble, "None"));
            cdn.add(metric("4xxErrorRate", dist, at, 1.8, "Percent"));
            cdn.add(metric("5xxErrorRate", dist, at, 0.04, "Percent"));
            cdn.add(metric("CacheHitRate", dist, at, 91.5, "Percent"));
        }
        put("AWS/WAFV2", waf);
        put("AWS/CloudFront", cdn);
        return waf.size() + cdn.size();
    }

    private void put(String namespace, List<MetricDatum> data) {
        for (int i = 0; i < data.size(); i += 500) {
            List<MetricDatum> batch = data.subList(i, Math.min(data.size(), i + 500));
            cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(batch));
        }
    }

    private static MetricDatum datum(String name, Instant at, double value, String rule) {
        // a CloudFront web ACL's metrics carry no Region dimension
        return metric(name, List.of(dim("WebACL", WEB_ACL), dim("Rule", rule)), at, value, "None");
    }

    private static MetricDatum metric(String name, List<Dimension> dims, Instant at, double value, String unit) {
        return MetricDatum.builder()
                .metricName(name)
                .dimensions(dims)
                .timestamp(at)
                .value(value)
                .unit(unit)
                .build();
    }

    private static Dimension dim(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
