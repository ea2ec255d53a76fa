package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.testsupport.HostileChecks;
import com.kfood.ops.testsupport.MutableClock;
import com.kfood.ops.testsupport.RecordingMetrics;
import com.kfood.ops.testsupport.RecordingNotifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;

class OpsReportTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:05Z"));
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final RecordingNotifier notifier = new RecordingNotifier();
    private final Fakes.Store store = new Fakes.Store();

    private OpsReport report(Fakes.Sources sources, String... config) {
        return new OpsReport(
                Fakes.config(config),
                sources,
                Optional.of(store),
                notifier,
                new RecordingMetrics(),
                new OpsLog("OpsReportFunction", clock, new PrintStream(logs, true)),
                clock);
    }

    private static JsonNode event(String json) {
        return Json.parseEmbedded(json);
    }

    @Test
    void aSourceThatFailsIsNotAvailableWithItsReasonAndTheOthersStand() {
        Fakes.Sources sources = new Fakes.Sources(
                new FakeCloudWatch(q -> 7.0, 500),
                List.of(Fakes.metricSource("deployments", 100), Fakes.plainSource("cost", m -> {
                    throw new IllegalStateException("Cost Explorer is down at 10.0.0.1 for user@example.com");
                })));

        JsonNode result = Json.tree(report(sources).handle(event("{\"report\": \"weekly\"}"), null));

        assertThat(result.at("/sections/deployments").asText()).isEqualTo("OK");
        assertThat(result.at("/sections/cost").asText()).isEqualTo("UNKNOWN");
        String page = store.pages.get("weekly/2026-11-23");
        assertThat(page).contains("7 things").contains("not available: IllegalStateException: Cost Explorer is down");
        // the reason is masked like any quoted text: no address, no user
        assertThat(page).doesNotContain("10.0.0.1").doesNotContain("user@example.com");
        assertThat(notifier.sent).singleElement().satisfies(n -> {
            assertThat(n.facts().get("cost")).startsWith("N/A · not available: ");
            assertThat(n.links()).containsKey("Full report (charts, every number)");
        });
        HostileChecks.logsAreSafe(logs);
    }

    @Test
    void whenCloudWatchFailsTheMetricSectionsSaySoAndTheRestStand() {
        FakeCloudWatch cw = new FakeCloudWatch(q -> 1.0, 500);
        cw.failure = CloudWatchException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("Throttling")
                        .serviceName("CloudWatch")
                        .build())
                .build();
        Fakes.Sources sources = new Fakes.Sources(
                cw,
                List.of(
                        Fakes.metricSource("availability", 100),
                        Fakes.plainSource(
                                "backups",
                                m -> new Section.Builder("backups", "backups")
                                        .item(Item.of("newest snapshot", "2.0 h old", Verdict.OK))
                                        .build())));

        JsonNode result = Json.tree(report(sources).handle(event("{\"report\": \"daily\"}"), null));

        assertThat(result.at("/sections/availability").asText()).isEqualTo("UNKNOWN");
        assertThat(result.at("/sections/backups").asText()).isEqualTo("OK");
        assertThat(notifier.sent.getFirst().facts().get("availability"))
                .isEqualTo("N/A · not available: CloudWatch GetMetricData: CloudWatch answered Throttling");
    }

    @Test
    void aSectionsOwnCallsGoOutWhileTheMetricsAreFetched() {
        // CloudWatch answers only once the backups section has built: one after the other, it would
        // wait out its timeout and answer a value that makes availability ACT
        CountDownLatch backupsBuilt = new CountDownLatch(1);
        FakeCloudWatch cw = new FakeCloudWatch(
                q -> {
                    try {
                        return backupsBuilt.await(5, TimeUnit.SECONDS) ? 1.0 : 999.0;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                },
                500);
        Fakes.Sources sources = new Fakes.Sources(
                cw, List.of(Fakes.metricSource("availability", 100), Fakes.plainSource("backups", m -> {
                    backupsBuilt.countDown();
                    return new Section.Builder("backups", "backups")
                            .item(Item.of("newest snapshot", "2.0 h old", Verdict.OK))
                            .build();
                })));

        JsonNode result = Json.tree(report(sources).handle(event("{\"report\": \"daily\"}"), null));

        assertThat(result.at("/sections/availability").asText()).isEqualTo("OK");
        assertThat(result.path("sections").properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("availability", "backups");
    }

    @Test
    void theSameScheduleDeliveredTwiceIsStoredAgainButSentOnce() {
        Fakes.Sources sources =
                new Fakes.Sources(new FakeCloudWatch(q -> 500.0, 500), List.of(Fakes.metricSource("errors", 100)));
        String scheduled = "{\"source\": \"aws.scheduler\", \"detail-type\": \"Scheduled Event\", "
                + "\"time\": \"2026-11-30T00:00:00Z\", \"detail\": {\"report\": \"daily\"}}";

        JsonNode first = Json.tree(report(sources).handle(event(scheduled), null));
        JsonNode again = Json.tree(report(sources).handle(event(scheduled), null));

        assertThat(first.path("notified").asBoolean()).isTrue();
        assertThat(again.path("notified").asBoolean()).isFalse();
        assertThat(notifier.sent).singleElement().satisfies(n -> {
            assertThat(n.severity()).isEqualTo(Severity.WARNING);
            assertThat(n.title()).isEqualTo("Daily operations report: 1 thing(s) need a person");
            assertThat(n.nextSteps()).containsExactly("errors is 500: look at it");
        });
    }

    @Test
    void aReportAskedForByHandIsSentEachTime() {
        Fakes.Sources sources =
                new Fakes.Sources(new FakeCloudWatch(q -> 5.0, 500), List.of(Fakes.metricSource("errors", 100)));

        report(sources).handle(event("{\"report\": \"weekly\"}"), null);
        report(sources).handle(event("{\"report\": \"weekly\"}"), null);

        assertThat(notifier.sent).hasSize(2);
        assertThat(store.claimed).isEmpty();
    }

    @Test
    void aDryRunStoresAndSendsNothingButSaysEverything() {
        Fakes.Sources sources =
                new Fakes.Sources(new FakeCloudWatch(q -> 3.0, 500), List.of(Fakes.metricSource("errors", 100)));

        JsonNode result = Json.tree(report(sources).handle(event("{\"report\": \"monthly\", \"dryRun\": true}"), null));

        assertThat(result.path("dryRun").asBoolean()).isTrue();
        assertThat(result.path("summary").asText())
                .contains("Monthly operations report")
                .contains("3 things");
        assertThat(result.path("apiCalls").path("GetMetricData").asInt()).isEqualTo(2);
        assertThat(store.pages).isEmpty();
        assertThat(notifier.sent).isEmpty();
    }

    @Test
    void aReportThatCannotBeStoredIsStillSentAndSaysItsPageIsMissing() {
        store.failure = new IllegalStateException("AccessDenied");
        Fakes.Sources sources =
                new Fakes.Sources(new FakeCloudWatch(q -> 3.0, 500), List.of(Fakes.metricSource("errors", 100)));

        JsonNode result = Json.tree(report(sources).handle(event("{\"report\": \"weekly\"}"), null));

        assertThat(result.path("stored").isNull()).isTrue();
        assertThat(notifier.sent).singleElement().satisfies(n -> {
            assertThat(n.links()).isEmpty();
            assertThat(n.facts().get("Full report")).contains("not stored");
        });
    }

    @Test
    void onlyTheSectionsOfTheReportsChecklistAreMade() {
        Fakes.Sources sources = new Fakes.Sources(
                new FakeCloudWatch(q -> 1.0, 500),
                List.of(
                        Fakes.metricSource("availability", 100),
                        Fakes.plainSource("errors", m -> Section.unavailable("errors", "errors", "not asked"))));

        JsonNode result = Json.tree(report(sources).handle(event("{\"report\": \"monthly\"}"), null));

        assertThat(result.path("sections").properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("availability");
    }

    @Test
    void aNotificationThatFailedToPublishIsSentByTheSchedulesRetryNotLost() {
        Fakes.Sources sources =
                new Fakes.Sources(new FakeCloudWatch(q -> 7.0, 500), List.of(Fakes.metricSource("deployments", 100)));
        String scheduled = "{\"source\": \"aws.scheduler\", \"detail-type\": \"Scheduled Event\","
                + " \"time\": \"2026-11-30T00:00:00Z\", \"detail\": {\"report\": \"weekly\"}}";
        OpsReport failing = new OpsReport(
                Fakes.config(),
                sources,
                Optional.of(store),
                n -> false, // SNS refused the publish
                new RecordingMetrics(),
                new OpsLog("OpsReportFunction", clock, new PrintStream(logs, true)),
                clock);

        assertThatThrownBy(() -> failing.handle(event(scheduled), null)).hasMessageContaining("not published");
        assertThat(store.claimed).as("the claim is given back").isEmpty();

        JsonNode retried = Json.tree(report(sources).handle(event(scheduled), null));
        assertThat(retried.path("notified").asBoolean()).isTrue();
        assertThat(notifier.sent).hasSize(1);
    }
}
