package com.kfood.ops.remediation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/** CloudWatch as the runbooks read it: a metric's recent values, an alarm now and when it began. */
final class AwsAlarms {
    private static final DateTimeFormatter HHMM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final CloudWatchClient cloudWatch;

    AwsAlarms(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    List<String> datapoints(AlarmChange.MetricRef metric, Instant now, Duration window) {
        List<Dimension> dims = new ArrayList<>();
        metric.dimensions()
                .forEach((k, v) -> dims.add(Dimension.builder().name(k).value(v).build()));
        int period = metric.period() == null ? 60 : metric.period();
        String stat = metric.stat() == null ? "Average" : metric.stat();
        List<MetricDataResult> results = cloudWatch
                .getMetricData(b -> b.startTime(now.minus(window))
                        .endTime(now)
                        .metricDataQueries(q -> q.id("m1")
                                .returnData(true)
                                .metricStat(s -> s.period(period)
                                        .stat(stat)
                                        .metric(m -> m.namespace(metric.namespace())
                                                .metricName(metric.name())
                                                .dimensions(dims)))))
                .metricDataResults();
        // by time, not as "HH:mm" text: in a window across midnight UTC the text order puts 00:05 first
        TreeMap<Instant, Double> byTime = new TreeMap<>();
        for (MetricDataResult r : results) {
            for (int i = 0; i < r.timestamps().size() && i < r.values().size(); i++) {
                byTime.put(r.timestamps().get(i), r.values().get(i));
            }
        }
        List<String> out = new ArrayList<>();
        byTime.forEach((at, value) -> out.add(HHMM.format(at) + " " + value));
        return out.subList(Math.max(0, out.size() - 10), out.size());
    }

    Platform.AlarmNow alarmNow(String name) {
        var found = cloudWatch.describeAlarms(
                b -> b.alarmNames(name).alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM));
        if (!found.metricAlarms().isEmpty()) {
            var a = found.metricAlarms().getFirst();
            return new Platform.AlarmNow(a.alarmName(), a.alarmArn(), a.stateValueAsString());
        }
        return found.compositeAlarms().stream()
                .findFirst()
                .map(a -> new Platform.AlarmNow(a.alarmName(), a.alarmArn(), a.stateValueAsString()))
                .orElse(null);
    }

    Instant alarmStart(String alarmName, Instant before) {
        for (AlarmHistoryItem item : cloudWatch
                .describeAlarmHistory(b -> b.alarmName(alarmName)
                        .historyItemType(HistoryItemType.STATE_UPDATE)
                        .startDate(before.minus(Duration.ofDays(1)))
                        .endDate(before)
                        .maxRecords(20))
                .alarmHistoryItems()) {
            if (item.historySummary() != null && item.historySummary().endsWith("to ALARM")) {
                return item.timestamp();
            }
        }
        return null;
    }
}
