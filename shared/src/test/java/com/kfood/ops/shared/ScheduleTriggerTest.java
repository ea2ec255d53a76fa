package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.backup.SnapshotTags;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTriggerTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T09:41:27Z"), ZoneOffset.UTC);

    private static JsonNode json(Object event) {
        return Json.tree(event);
    }

    @ParameterizedTest
    @Event(value = "events/snapshot/scheduler.json", type = Map.class)
    void schedulerEventUsesTheScheduledTime(Map<String, Object> event) {
        ScheduleTrigger t = ScheduleTrigger.parse(json(event), clock);
        assertThat(t.scheduledFor()).isEqualTo(Instant.parse("2026-11-25T18:00:00Z"));
        assertThat(t.source()).isEqualTo("aws.scheduler");
        assertThat(t.dryRunRequested()).isFalse();
    }

    @ParameterizedTest
    @Event(value = "events/snapshot/classic-scheduled.json", type = Map.class)
    void classicScheduledRuleIsAccepted(Map<String, Object> event) {
        assertThat(ScheduleTrigger.parse(json(event), clock).source()).isEqualTo("aws.events");
    }

    @ParameterizedTest
    @Event(value = "events/snapshot/manual-dry-run.json", type = Map.class)
    void manualInvokeUsesTheClockToTheMinute(Map<String, Object> event) {
        ScheduleTrigger t = ScheduleTrigger.parse(json(event), clock);
        assertThat(t.scheduledFor()).isEqualTo(Instant.parse("2026-11-26T09:41:00Z"));
        assertThat(t.dryRunRequested()).isTrue();
    }

    @ParameterizedTest
    @Event(value = "events/snapshot/not-scheduled.json", type = Map.class)
    void otherSourcesAreRejected(Map<String, Object> event) {
        assertThatThrownBy(() -> ScheduleTrigger.parse(json(event), clock))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("source 'aws.ec2'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"dryRun\": \"yes\"}",
                "{\"foo\": 1}",
                "{\"source\": \"aws.scheduler\", \"detail-type\": \"Scheduled Event\"}",
                "{\"source\": \"aws.scheduler\", \"detail-type\": \"Scheduled Event\", \"time\": \"yesterday\"}",
                "{\"source\": \"aws.scheduler\", \"detail-type\": \"Object Created\", \"time\": \"2026-11-25T18:00:00Z\"}",
                "{\"source\": 42}"
            })
    void malformedEventsAreRejectedWithAReason(String event) throws Exception {
        assertThatThrownBy(() -> ScheduleTrigger.parse(Json.parseEmbedded(event), clock))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageNotContaining("Exception");
    }

    @Test
    void snapshotIdsAreStableAndRecognised() {
        String id = SnapshotTags.snapshotId("kfood-ops", "kfood-db", Instant.parse("2026-11-25T18:00:59Z"));
        assertThat(id).isEqualTo("kfood-ops-kfood-db-20261125-1800");
        assertThat(SnapshotTags.isOurName("kfood-ops", "kfood-db", id)).isTrue();
        assertThat(SnapshotTags.isOurName("kfood-ops", "kfood-db", "kfood-ops-kfood-db-manual-keep"))
                .isFalse();
        assertThat(SnapshotTags.isOurName("kfood-ops", "kfood-db", "kfood-ops-kfood-db-replica-20261125-1800"))
                .isFalse();
        assertThat(SnapshotTags.isOurName("kfood-ops", "kfood", "kfood-ops-kfood-db-20261125-1800"))
                .isFalse();
    }
}
