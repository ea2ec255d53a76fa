package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/**
 * What the emulator wrapper answers for the report where moto falls short (docs/local-runtime.md, The local
 * runtime): percentiles as CloudWatch computes them, dimensions in any order, Insights counts.
 */
@ExtendWith(MotoExtension.class)
class EmulatorAnswersIT {
    private static final Instant AT =
            Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

    @Test
    void percentilesOfRawValuesAreTheNearestRankWhateverTheDimensionsOrder(Moto moto) {
        System.setProperty("aws.disableRequestCompression", "true");
        CloudWatchClient cw = moto.aws().build(CloudWatchClient.builder(), "CLOUDWATCH");
        List<Double> oneToHundred = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            oneToHundred.add((double) i);
        }
        cw.putMetricData(b -> b.namespace("Test")
                .metricData(m -> m.metricName("Latency")
                        .dimensions(dim("ClusterName", "kfood-cluster"), dim("ServiceName", "kfood-backend"))
                        .timestamp(AT.plusSeconds(60))
                        .values(oneToHundred)));

        List<MetricDataResult> results = cw.getMetricData(b -> b.startTime(AT)
                        .endTime(AT.plusSeconds(3600))
                        .metricDataQueries(
                                q(
                                        "p50",
                                        "p50",
                                        dim("ClusterName", "kfood-cluster"),
                                        dim("ServiceName", "kfood-backend")),
                                q(
                                        "p95",
                                        "p95",
                                        dim("ServiceName", "kfood-backend"),
                                        dim("ClusterName", "kfood-cluster")),
                                q(
                                        "p99",
                                        "p99.9",
                                        dim("ServiceName", "kfood-backend"),
                                        dim("ClusterName", "kfood-cluster")),
                                q(
                                        "avg",
                                        "Average",
                                        dim("ServiceName", "kfood-backend"),
                                        dim("ClusterName", "kfood-cluster"))))
                .metricDataResults();

        assertThat(results).extracting(r -> r.values().getFirst()).containsExactly(50.0, 95.0, 100.0, 50.5);
    }

    @Test
    void insightsCountsAndGroupsTheLinesItFilters(Moto moto) throws Exception {
        CloudWatchLogsClient logs = moto.aws().build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS");
        logs.createLogGroup(b -> b.logGroupName("/test/app"));
        logs.createLogStream(b -> b.logGroupName("/test/app").logStreamName("s"));
        List<InputLogEvent> events = new ArrayList<>();
        String[] lines = {"ERROR a", "INFO b", "ERROR a", "ERROR c", "WARN ERROR-ish"};
        for (int i = 0; i < lines.length; i++) {
            events.add(InputLogEvent.builder()
                    .timestamp(AT.plusSeconds(i).toEpochMilli())
                    .message(lines[i])
                    .build());
        }
        logs.putLogEvents(b -> b.logGroupName("/test/app").logStreamName("s").logEvents(events));

        String id = logs.startQuery(
                        b -> b.logGroupNames("/test/app")
                                .startTime(AT.getEpochSecond())
                                .endTime(AT.plusSeconds(60).getEpochSecond())
                                .queryString(
                                        "filter @message like /^ERROR/ | stats count(*) as n by @message | sort n desc | limit 1"))
                .queryId();
        var result = logs.getQueryResults(b -> b.queryId(id));

        assertThat(result.status()).isEqualTo(QueryStatus.COMPLETE);
        assertThat(result.results())
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .extracting(ResultField::field, ResultField::value)
                        .containsExactly(tuple("@message", "ERROR a"), tuple("n", "2")));
    }

    private static Dimension dim(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    private static MetricDataQuery q(String id, String stat, Dimension... dims) {
        return MetricDataQuery.builder()
                .id(id)
                .metricStat(s -> s.stat(stat)
                        .period(3600)
                        .metric(m -> m.namespace("Test").metricName("Latency").dimensions(dims)))
                .build();
    }
}
