package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/** Where the Edge section reads: CloudFront and a CloudFront web ACL in us-east-1, a regional web ACL here. */
class EdgeSourceTest {
    private static final ReportPeriod DAY =
            ReportPeriod.of(ReportKind.DAILY, Instant.parse("2026-11-26T00:00:00Z"), ZoneId.of("Asia/Seoul"));

    private static Metric metric(String name, Map<String, String> dims) {
        return Metric.builder()
                .metricName(name)
                .dimensions(dims.entrySet().stream()
                        .map(d -> Dimension.builder()
                                .name(d.getKey())
                                .value(d.getValue())
                                .build())
                        .toList())
                .build();
    }

    /** Every query answered with one value at the request's start; each call's region kept. */
    private static final class Regions extends StubReads {
        final List<String> calls = new ArrayList<>();

        private GetMetricDataResponse answer(Instant from, List<MetricDataQuery> queries, double v) {
            return GetMetricDataResponse.builder()
                    .metricDataResults(queries.stream()
                            .map(q -> MetricDataResult.builder()
                                    .id(q.id())
                                    .timestamps(from)
                                    .values(v)
                                    .build())
                            .toList())
                    .build();
        }

        @Override
        public List<Metric> metrics(String namespace) {
            return namespace.equals("AWS/WAFV2")
                    ? List.of(metric(
                            "BlockedRequests",
                            Map.of(
                                    "WebACL",
                                    "kfood-alb-acl",
                                    "Rule",
                                    "AWS-AWSManagedRulesSQLiRuleSet",
                                    "Region",
                                    "ap-northeast-2")))
                    : List.of();
        }

        @Override
        public List<Metric> edgeMetrics(String namespace) {
            return namespace.equals("AWS/CloudFront")
                    ? List.of(metric("Requests", Map.of("DistributionId", "E2KFOOD", "Region", "Global")))
                    : List.of(
                            metric("BlockedRequests", Map.of("WebACL", "kfood-edge-acl", "Rule", "RateLimitPerIP")),
                            metric("BlockedRequests", Map.of("WebACL", "kfood-edge-acl", "Rule", "ALL")));
        }

        @Override
        public GetMetricDataResponse metricData(Instant from, Instant to, List<MetricDataQuery> queries, String token) {
            calls.add("home " + queries.getFirst().metricStat().metric().namespace());
            return answer(from, queries, 5);
        }

        @Override
        public GetMetricDataResponse edgeMetricData(
                Instant from, Instant to, List<MetricDataQuery> queries, String token) {
            calls.add("us-east-1 " + queries.getFirst().metricStat().metric().namespace());
            return answer(from, queries, 2);
        }
    }

    @Test
    void cloudFrontAndTheCloudFrontWebAclAreReadInUsEast1AndARegionalWebAclHere() {
        Regions reads = new Regions();
        EdgeSource source = new EdgeSource(reads, Optional.empty(), DAY, new EdgeSource.Limits(10, 1));
        Section s = source.build(new Metrics(reads, DAY));

        assertThat(reads.calls).containsExactly("home AWS/WAFV2", "us-east-1 AWS/WAFV2", "us-east-1 AWS/CloudFront");
        assertThat(s.items())
                .extracting(Item::label)
                .containsExactly(
                        "load balancer 4xx",
                        "WAF kfood-alb-acl / AWS-AWSManagedRulesSQLiRuleSet (SQL injection)",
                        "WAF kfood-edge-acl / RateLimitPerIP (rate limit)", // the ACL's "ALL" is no rule
                        "CloudFront E2KFOOD");
        // CloudFront's 5xx rate of 2 % is past the 1 % limit: a person looks
        assertThat(s.items().getLast().verdict()).isEqualTo(Verdict.ACT);
        assertThat(s.actions()).anySatisfy(a -> assertThat(a).startsWith("CloudFront E2KFOOD answers"));
    }
}
