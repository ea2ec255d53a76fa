package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.costexplorer.model.DateInterval;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageRequest;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageResponse;
import software.amazon.awssdk.services.costexplorer.model.Group;
import software.amazon.awssdk.services.costexplorer.model.MetricValue;
import software.amazon.awssdk.services.costexplorer.model.ResultByTime;

/** Cost Explorer's days are UTC days: the weekly cost covers complete ones, and says which. */
class CostSourceTest {
    private final List<GetCostAndUsageRequest> asked = new ArrayList<>();

    private final ReportReads costExplorer = new StubReads() {
        @Override
        public GetCostAndUsageResponse costAndUsage(GetCostAndUsageRequest request) {
            asked.add(request);
            List<ResultByTime> days = new ArrayList<>();
            for (var d = java.time.LocalDate.parse(request.timePeriod().start());
                    d.isBefore(java.time.LocalDate.parse(request.timePeriod().end()));
                    d = d.plusDays(1)) {
                days.add(ResultByTime.builder()
                        .timePeriod(DateInterval.builder()
                                .start(d.toString())
                                .end(d.plusDays(1).toString())
                                .build())
                        .groups(Group.builder()
                                .keys("Amazon Relational Database Service")
                                .metrics(Map.of(
                                        "UnblendedCost",
                                        MetricValue.builder()
                                                .amount("10")
                                                .unit("USD")
                                                .build()))
                                .build())
                        .build());
            }
            return GetCostAndUsageResponse.builder().resultsByTime(days).build();
        }
    };

    private Item total(Instant runAt) {
        ReportPeriod week = ReportPeriod.of(ReportKind.WEEKLY, runAt, ZoneId.of("Asia/Seoul"));
        Section s = new CostSource(true, costExplorer, week, runAt).build(null);
        return s.items().getFirst();
    }

    @Test
    void aReportRunBeforeTheLastUtcDayEndedLeavesThatDayOutAndSaysSo() {
        // Monday 08:30 in Seoul is still Sunday in UTC: Sunday's cost is not complete
        Item total = total(Instant.parse("2026-12-06T23:30:00Z"));

        assertThat(asked.getFirst().timePeriod().end()).isEqualTo("2026-12-06");
        assertThat(total.note())
                .startsWith("Cost Explorer's UTC days 2026-11-30 to 2026-12-05")
                .contains("2026-12-06 UTC is not complete yet");
        assertThat(total.amount("costUsd")).isEqualTo(60.0); // six complete days, not a partial seventh
    }

    @Test
    void aReportRunAfterItCoversTheWholeWeekOfUtcDays() {
        Item total = total(Instant.parse("2026-12-07T00:30:00Z"));

        assertThat(asked.getFirst().timePeriod().end()).isEqualTo("2026-12-07");
        assertThat(total.note()).isEqualTo("Cost Explorer's UTC days 2026-11-30 to 2026-12-06");
        assertThat(total.amount("costUsd")).isEqualTo(70.0);
    }
}
