package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.rds.RdsClient;

/** What the AWS platform reads from CloudWatch for a notification. */
class PlatformTest {
    /** Clients this test must not reach: every call of theirs throws (the SDK interfaces' defaults). */
    private static final EcsClient NO_ECS = new EcsClient() {
        @Override
        public String serviceName() {
            return "ecs";
        }

        @Override
        public void close() {}
    };

    private static final RdsClient NO_RDS = new RdsClient() {
        @Override
        public String serviceName() {
            return "rds";
        }

        @Override
        public void close() {}
    };

    /** CloudWatch answering one series, its points in the order given (GetMetricData's default is newest first). */
    private static CloudWatchClient cloudWatch(List<Instant> timestamps, List<Double> values) {
        return new CloudWatchClient() {
            @Override
            public GetMetricDataResponse getMetricData(GetMetricDataRequest request) {
                return GetMetricDataResponse.builder()
                        .metricDataResults(MetricDataResult.builder()
                                .id("m1")
                                .timestamps(timestamps)
                                .values(values)
                                .build())
                        .build();
            }

            @Override
            public String serviceName() {
                return "monitoring";
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void theLastTenDatapointsAreTheNewestEvenAcrossMidnightUtc() {
        // 23:50 to 00:01 UTC (08:50 to 09:01 KST): twelve minutes, newest first as CloudWatch sends them
        Instant start = Instant.parse("2026-11-26T23:50:00Z");
        List<Instant> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            times.add(start.plus(Duration.ofMinutes(i)));
            values.add((double) i);
        }
        Collections.reverse(times);
        Collections.reverse(values);
        Platform platform = new AwsPlatform(NO_ECS, NO_RDS, cloudWatch(times, values), null, null);
        List<String> last = platform.datapoints(
                new AlarmChange.MetricRef("AWS/ECS", "CPUUtilization", Map.of(), "Average", 60),
                Instant.parse("2026-11-27T00:02:00Z"),
                Duration.ofMinutes(30));

        assertThat(last).hasSize(10);
        assertThat(last.getFirst()).startsWith("23:52 ").endsWith(" 2.0");
        assertThat(last.getLast()).startsWith("00:01 ").endsWith(" 11.0");
    }
}
