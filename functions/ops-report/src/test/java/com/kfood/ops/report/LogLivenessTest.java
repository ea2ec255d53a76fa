package com.kfood.ops.report;

import static com.kfood.ops.report.Fakes.item;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/** A silent log group's errors are not measured: "0 ERROR lines" cannot be a dead log router. */
class LogLivenessTest {
    static final Instant NOW = ImageFindingsTest.NOW;
    static final String BACKEND = "/aws/kfood-shorts/kfood-backend";
    static final String FRONTEND = "/aws/kfood-shorts/kfood-frontend";
    static final String BATCH = "/aws/kfood-shorts/nightly-batch";

    private final FakeUpkeep upkeep = new FakeUpkeep();
    private final List<List<String>> queried = new ArrayList<>();

    private final ReportReads reads = new StubReads() {
        @Override
        public DescribeLogGroupsResponse logGroups(String prefix, int limit) {
            return DescribeLogGroupsResponse.builder()
                    .logGroups(List.of(BACKEND, FRONTEND, BATCH).stream()
                            .map(g -> LogGroup.builder()
                                    .logGroupName(g)
                                    .creationTime(
                                            NOW.minus(Duration.ofDays(400)).toEpochMilli())
                                    .build())
                            .toList())
                    .build();
        }

        @Override
        public String startQuery(List<String> groups, Instant from, Instant to, String query) {
            queried.add(groups);
            return "q" + queried.size();
        }

        @Override
        public GetQueryResultsResponse queryResults(String queryId) {
            return GetQueryResultsResponse.builder()
                    .status(QueryStatus.COMPLETE)
                    .results(List.of(
                            List.of(ResultField.builder().field("n").value("0").build())))
                    .build();
        }
    };

    private Section errors(String... config) {
        UpkeepLimits limits = Fakes.config(config).upkeep();
        ReportPeriod day = ReportPeriod.of(ReportKind.DAILY, NOW, ZoneId.of("Asia/Seoul"));
        return new ErrorsSource(
                        reads,
                        new LogLiveness(upkeep, limits, NOW),
                        "/aws/kfood-shorts",
                        day,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        Duration.ofSeconds(5))
                .build(null);
    }

    private void newest(String group, Duration ago) {
        upkeep.newest.put(group, () -> Optional.of(NOW.minus(ago)));
    }

    @Test
    void aGroupSilentForThreeDaysIsNotMeasuredAndActs() {
        newest(BACKEND, Duration.ofMinutes(2));
        newest(FRONTEND, Duration.ofDays(3));
        newest(BATCH, Duration.ofHours(20));

        Section s = errors("LOG_SILENCE_OVERRIDES", BATCH + "=48h");

        Item frontend = item(s, "ERROR lines in " + FRONTEND);
        assertThat(frontend.value()).isEqualTo("not measured: no events since 12-04 09:00 (3.0 days ago)");
        assertThat(frontend.verdict()).isEqualTo(Verdict.ACT);
        assertThat(item(s, "log groups alive").value()).isEqualTo("2 of 3 (1 silent)");
        // the quiet batch group, within its own 48 hours, is alive and counted
        assertThat(s.items()).extracting(Item::label).doesNotContain("ERROR lines in " + BATCH);
        assertThat(queried).allSatisfy(groups -> assertThat(groups).containsExactly(BACKEND, BATCH));
        assertThat(item(s, "ERROR lines in 2 log group(s)").note()).isEqualTo("not measured in 1 silent group(s)");
        assertThat(s.actions()).singleElement().asString().startsWith(FRONTEND + " has had no log events for 3.0 days");
    }

    @Test
    void justPastItsLimitAGroupIsWatchAndADayLaterAct() {
        newest(BACKEND, Duration.ofMinutes(61));
        newest(FRONTEND, Duration.ofHours(25).plusMinutes(1));
        newest(BATCH, Duration.ofMinutes(60));

        Section s = errors();

        assertThat(item(s, "ERROR lines in " + BACKEND).verdict()).isEqualTo(Verdict.WATCH);
        assertThat(item(s, "ERROR lines in " + FRONTEND).verdict()).isEqualTo(Verdict.ACT);
        assertThat(s.items()).extracting(Item::label).doesNotContain("ERROR lines in " + BATCH);
    }

    @Test
    void aGroupWithNoEventEverCountsFromItsCreationAndAllSilentMeansNoQuery() {
        for (String g : List.of(BACKEND, FRONTEND, BATCH)) {
            upkeep.newest.put(g, Optional::empty);
        }

        Section s = errors();

        assertThat(item(s, "ERROR lines in " + BACKEND).value())
                .isEqualTo("not measured: no events ever (created 400.0 days ago)");
        assertThat(queried).isEmpty();
        assertThat(s.verdict()).isEqualTo(Verdict.ACT);
    }

    @Test
    void anUnreadableGroupIsUnknownAndStillQueried() {
        newest(BACKEND, Duration.ofMinutes(1));
        newest(FRONTEND, Duration.ofMinutes(1));
        upkeep.newest.put(BATCH, () -> {
            throw new IllegalStateException("throttled");
        });

        Section s = errors();

        assertThat(item(s, "ERROR lines in " + BATCH).verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(queried.getFirst()).containsExactly(BACKEND, FRONTEND, BATCH);
    }
}
