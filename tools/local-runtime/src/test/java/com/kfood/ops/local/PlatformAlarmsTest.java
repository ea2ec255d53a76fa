package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.emulator.Template;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform's alarms as the template defines them: what the operations plan asked for. */
class PlatformAlarmsTest {
    private final Template template = load();

    private static Template load() {
        try {
            return Template.load(InvokeTest.ROOT.resolve("template.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) template.resource(logicalId).orElseThrow().get("Properties");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClientErrorAlarmIsARateOfTheTargetsAndTheLoadBalancersOwn4xxOverAllRequests() {
        Map<String, Object> alarm = properties("ClientErrorRateAlarm");
        List<Map<String, Object>> metrics = (List<Map<String, Object>>) alarm.get("Metrics");
        assertThat(metrics)
                .filteredOn(m -> m.containsKey("MetricStat"))
                .extracting(m -> ((Map<String, Map<String, Object>>) m.get("MetricStat"))
                        .get("Metric")
                        .get("MetricName"))
                .containsExactlyInAnyOrder("HTTPCode_Target_4XX_Count", "HTTPCode_ELB_4XX_Count", "RequestCount");
        String expression = String.valueOf(metrics.getFirst().get("Expression"));
        // the load balancer's own 4xx never reach RequestCount: they are added to the denominator
        assertThat(expression)
                .contains("100 * (FILL(target4xx, 0) + FILL(elb4xx, 0)) / (FILL(requests, 0) + FILL(elb4xx, 0))");
        assertThat(alarm.get("Threshold")).isEqualTo(Map.of("Ref", "ClientErrorRateThresholdPercent"));
        Map<String, Object> parameter =
                (Map<String, Object>) template.section("Parameters").get("ClientErrorRateThresholdPercent");
        assertThat(String.valueOf(parameter.get("Default"))).isEqualTo("10");
        assertThat(alarm.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", "AlarmsTopic")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aServiceWhoseLogsStopPagesAndSilenceCountsAsBreaching() {
        for (String service : List.of("Backend", "Frontend")) {
            Map<String, Object> alarm = properties(service + "LogsSilentAlarm");
            assertThat(alarm.get("Namespace")).isEqualTo("AWS/Logs");
            assertThat(alarm.get("MetricName")).isEqualTo("IncomingLogEvents");
            assertThat((List<Map<String, Object>>) alarm.get("Dimensions"))
                    .containsExactly(Map.of("Name", "LogGroupName", "Value", Map.of("Ref", service + "LogGroup")));
            // no event in a minute publishes no datapoint: missing data must count as silence
            assertThat(alarm.get("TreatMissingData")).isEqualTo("breaching");
            assertThat(alarm.get("ComparisonOperator")).isEqualTo("LessThanThreshold");
            assertThat(alarm.get("EvaluationPeriods")).isEqualTo(Map.of("Ref", "LogSilenceMinutes"));
            assertThat(alarm.get("DatapointsToAlarm")).isEqualTo(Map.of("Ref", "LogSilenceMinutes"));
            assertThat(String.valueOf(alarm.get("Period"))).isEqualTo("60");
            assertThat(alarm.get("AlarmActions")).isEqualTo(List.of(Map.of("Ref", "AlarmsTopic")));
        }
        Map<String, Object> minutes =
                (Map<String, Object>) template.section("Parameters").get("LogSilenceMinutes");
        // one-minute periods: PutMetricAlarm allows at most a day of them
        assertThat(String.valueOf(minutes.get("MaxValue"))).isEqualTo("1440");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEdgeAlarmsWatchEveryRuleAndEveryDistributionFromUsEast1() throws Exception {
        Template edge = Template.load(InvokeTest.ROOT.resolve("edge/alarms.yaml"));
        Map<String, Object> waf = (Map<String, Object>)
                edge.resource("WafRuleBlockingAlarm").orElseThrow().get("Properties");
        Map<String, Object> cdn = (Map<String, Object>)
                edge.resource("CloudFront5xxRateAlarm").orElseThrow().get("Properties");
        String wafQuery = String.valueOf(
                ((List<Map<String, Object>>) waf.get("Metrics")).getFirst().get("Expression"));
        String cdnQuery = String.valueOf(
                ((List<Map<String, Object>>) cdn.get("Metrics")).getFirst().get("Expression"));
        // one alarm, every rule a contributor; the web ACL's own total is not a rule
        assertThat(wafQuery)
                .contains("SUM(BlockedRequests)")
                .contains("WHERE Rule != 'ALL'")
                .contains("GROUP BY WebACL, Rule");
        assertThat(cdnQuery).contains("AVG(\"5xxErrorRate\")").contains("GROUP BY DistributionId");
        assertThat(waf.get("Threshold")).isEqualTo(Map.of("Ref", "WafBlockedRequestsThreshold"));
        assertThat(cdn.get("Threshold")).isEqualTo(Map.of("Ref", "CloudFront5xxRateThresholdPercent"));
        // deployed anywhere but us-east-1 the alarms would watch metrics that never arrive: refused
        assertThat(String.valueOf(edge.section("Rules"))).contains("us-east-1");
    }
}
