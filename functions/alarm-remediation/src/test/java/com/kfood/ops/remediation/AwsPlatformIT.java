package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.rds.RdsClient;

/** What the AWS platform reads from CloudWatch for a notification, on the emulator. */
@ExtendWith(MotoExtension.class)
class AwsPlatformIT {
    @Test
    void theLastTenDatapointsAreTheNewestEvenAcrossMidnightUtc(Moto moto) {
        CloudWatchClient cloudWatch = moto.aws().build(CloudWatchClient.builder(), "CLOUDWATCH");
        // 23:50 to 00:01 UTC (08:50 to 09:01 KST): twelve minutes, CloudWatch answers newest first
        Instant start = Instant.parse("2026-11-26T23:50:00Z");
        List<MetricDatum> data = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            data.add(MetricDatum.builder()
                    .metricName("CPUUtilization")
                    .timestamp(start.plus(Duration.ofMinutes(i)))
                    .value((double) i)
                    .build());
        }
        cloudWatch.putMetricData(b -> b.namespace("KfoodTest/ECS").metricData(data));
        Platform platform = new AwsPlatform(
                moto.aws().build(EcsClient.builder(), "ECS"),
                moto.aws().build(RdsClient.builder(), "RDS"),
                cloudWatch,
                null,
                null);

        List<String> last = platform.datapoints(
                new AlarmChange.MetricRef("KfoodTest/ECS", "CPUUtilization", Map.of(), "Average", 60),
                Instant.parse("2026-11-27T00:02:00Z"),
                Duration.ofMinutes(30));

        assertThat(last).hasSize(10);
        assertThat(last.getFirst()).startsWith("23:52 ").endsWith(" 2.0");
        assertThat(last.getLast()).startsWith("00:01 ").endsWith(" 11.0");
    }
}
