package com.kfood.ops.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Json;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DrillEventTest {
    private static final String PREFIX = "kfood-ops-dev-drill-";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T06:00:30Z"));

    private DrillEvent parse(String fixtureOrJson) {
        String json = fixtureOrJson.startsWith("{")
                ? fixtureOrJson
                : new String(Invocations.event(fixtureOrJson), StandardCharsets.UTF_8);
        JsonNode node = Json.parseEmbedded(json);
        return DrillEvent.parse(node, clock, PREFIX);
    }

    @Test
    void theSampleEventsAreWhatTheirNamesSay() {
        assertThat(parse("events/drill/scheduler.json"))
                .isEqualTo(new DrillEvent.Start(
                        Instant.parse("2026-12-05T17:00:00Z"), false, Optional.empty(), Optional.empty()));
        assertThat(parse("events/drill/manual.json"))
                .isEqualTo(new DrillEvent.Start(
                        Instant.parse("2026-11-29T06:00:00Z"), false, Optional.empty(), Optional.empty()));
        assertThat(parse("events/drill/manual-dry-run.json"))
                .isInstanceOf(DrillEvent.Start.class)
                .extracting(e -> ((DrillEvent.Start) e).dryRun())
                .isEqualTo(true);
        assertThat(parse("events/drill/watchdog.json")).isInstanceOf(DrillEvent.Watch.class);
        assertThat(parse("events/drill/rds-instance-restored.json"))
                .isEqualTo(new DrillEvent.InstanceChanged(
                        "kfood-ops-dev-drill-kfood-db-20261205",
                        Instant.parse("2026-12-05T17:24:12Z"),
                        "Restored from snapshot kfood-ops-dev-kfood-db-20261205-1600"));
    }

    @Test
    void whatIsNotADrillEventIsRejected() {
        assertThatThrownBy(() -> parse("{}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("\"action\"");
        assertThatThrownBy(() -> parse("{\"action\":\"delete\"}")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> parse("{\"action\":\"start\",\"instance\":\"x\"}"))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> parse(
                        "{\"source\":\"aws.rds\",\"detail-type\":\"RDS DB Instance Event\",\"time\":\"2026-12-05T17:00:00Z\","
                                + "\"detail\":{\"SourceIdentifier\":\"kfood-db\"}}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not an event of a drill instance");
        assertThatThrownBy(
                        () -> parse(
                                "{\"source\":\"aws.rds\",\"detail-type\":\"RDS DB Snapshot Event\",\"time\":\"2026-12-05T17:00:00Z\"}"))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> parse("{\"source\":\"aws.ecs\",\"detail-type\":\"Scheduled Event\"}"))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() ->
                        parse("{\"source\":\"aws.scheduler\",\"detail-type\":\"Scheduled Event\",\"time\":\"soon\"}"))
                .isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> parse(
                        "{\"source\":\"aws.scheduler\",\"detail-type\":\"Scheduled Event\",\"time\":\"2026-12-05T17:00:00Z\","
                                + "\"detail\":{\"action\":\"drop\"}}"))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aModeAndATargetTimeAreCheckedBeforeAnythingIsAsked() {
        assertThat(parse("events/drill/point-in-time.json"))
                .isEqualTo(new DrillEvent.Start(
                        Instant.parse("2026-11-29T06:00:00Z"),
                        false,
                        Optional.of(DrillMode.POINT_IN_TIME),
                        Optional.empty()));
        assertThat(parse(
                        "{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"2026-11-29T05:02:00.400Z\"}"))
                .extracting(e -> ((DrillEvent.Start) e).restoreTime())
                .isEqualTo(Optional.of(Instant.parse("2026-11-29T05:02:00Z")));
        assertThatThrownBy(() -> parse("{\"action\":\"start\",\"mode\":\"everything\"}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("unknown mode 'everything' (snapshot, pointInTime, drRegion)");
        assertThatThrownBy(() -> parse("{\"action\":\"start\",\"mode\":7}")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> parse("{\"action\":\"start\",\"restoreTime\":\"2026-11-29T05:02:00Z\"}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("add \"mode\": \"pointInTime\"");
        assertThatThrownBy(() -> parse("{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"yesterday\"}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not an ISO-8601 instant");
        assertThatThrownBy(() -> parse(
                        "{\"action\":\"start\",\"mode\":\"pointInTime\",\"restoreTime\":\"2026-11-29T07:00:00Z\"}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("in the future");
        assertThatThrownBy(() -> parse("{\"action\":\"watch\",\"mode\":\"drRegion\"}"))
                .isInstanceOf(InvalidEventException.class);
    }
}
