package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;

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
}
