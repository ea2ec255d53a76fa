package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.Metric;

class AlarmTimeTest {
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-11-02T00:00:00Z");

    private static AlarmHistoryItem change(String at, String from, String to) {
        return AlarmHistoryItem.builder()
                .timestamp(Instant.parse(at))
                .historySummary("Alarm updated from " + from + " to " + to)
                .build();
    }

    @Test
    void eachTransitionIntoAlarmCountsAndItsTimeUntilTheNextStateAdds() {
        var time = ChangesSource.alarmTime(
                List.of(
                        change("2026-11-01T01:00:00Z", "OK", "ALARM"),
                        change("2026-11-01T01:20:00Z", "ALARM", "OK"),
                        change("2026-11-01T05:00:00Z", "OK", "ALARM"),
                        change("2026-11-01T05:10:00Z", "ALARM", "INSUFFICIENT_DATA")),
                START,
                END);

        assertThat(time.fired()).isEqualTo(2);
        assertThat(time.inAlarm()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void anAlarmAlreadyFiringAtTheStartOrStillFiringAtTheEndIsClippedToTheWindow() {
        var time = ChangesSource.alarmTime(
                List.of(change("2026-11-01T00:30:00Z", "ALARM", "OK"), change("2026-11-01T23:00:00Z", "OK", "ALARM")),
                START,
                END);

        assertThat(time.fired()).isEqualTo(1);
        assertThat(time.inAlarm()).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void anAlarmInAlarmThroughTheWholeWindowCountsItsMinutesThoughItHasNoHistoryInIt() {
        ReportPeriod day = ReportPeriod.of(ReportKind.DAILY, END, java.time.ZoneOffset.UTC);
        ReportReads cw = new StubReads() {
            @Override
            public List<Metric> metrics(String namespace) {
                return List.of();
            }

            @Override
            public List<AlarmHistoryItem> stateChanges(Instant start, Instant end) {
                return List.of(); // no change in the window
            }

            @Override
            public List<AlarmNow> alarmsInAlarm() {
                return List.of(
                        new AlarmNow("kfood-ops-db-storage-low", START.minus(Duration.ofDays(2))),
                        // went into ALARM inside the window: its history counts it
                        new AlarmNow("kfood-ops-backend-5xx", START.plus(Duration.ofHours(3))));
            }
        };
        ChangesSource source = new ChangesSource(new MetricCatalog(cw, "KfoodOps"), cw, day);
        Metrics metrics = new Metrics(cw, day);
        source.plan(metrics);
        Item alarms = source.build(metrics).items().stream()
                .filter(i -> i.label().equals("alarms"))
                .findFirst()
                .orElseThrow();

        assertThat(alarms.amount("minutesInAlarm")).isEqualTo(1440.0);
        assertThat(alarms.note()).contains("kfood-ops-db-storage-low (in ALARM through the window");
    }
}
