package com.kfood.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.deploy.DowntimeVerdict.Status;
import com.kfood.ops.deploy.TrafficWindow.Minute;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;

/** The verdict's rules at their thresholds, over a fake load balancer (two healthy hosts, no errors). */
class ZeroDowntimeTest {
    private static final Instant START = Instant.parse("2026-11-26T05:00:00Z");
    private static final Instant END = START.plus(Duration.ofMinutes(8));
    private static final Placement BACKEND = Placement.of(
            START.plusSeconds(17),
            List.of("arn:aws:elasticloadbalancing:ap-northeast-2:1:targetgroup/kfood-backend/1"));

    private final FakeTraffic traffic = new FakeTraffic();

    private DowntimeVerdict judge() {
        return new ZeroDowntime(traffic, 50).judge(BACKEND, END.minusSeconds(12));
    }

    /** The {@code n}th minute of the window (1-based, as the verdict counts them). */
    private static Instant minute(int n) {
        return START.plus(Duration.ofMinutes(n - 1L));
    }

    private static Minute errors(Minute m, double target5xx, double elb5xx) {
        return new Minute(m.at(), m.healthy(), m.unhealthy(), target5xx, elb5xx, m.requests());
    }

    private static Minute healthy(Minute m, double hosts) {
        return new Minute(m.at(), hosts, m.unhealthy(), m.target5xx(), m.elb5xx(), m.requests());
    }

    @Test
    void aCleanWindowIsYesAndReadsTheDeploymentsOwnMinutesAgainstTheHourBefore() {
        DowntimeVerdict v = judge();
        assertThat(v.text()).isEqualTo("yes");
        assertThat(traffic.askedFrom).isEqualTo(START);
        assertThat(traffic.askedTo).isEqualTo(END); // the event's 05:07:48 rounded up to a whole minute
        assertThat(traffic.askedBaselineFrom).isEqualTo(START.minus(Duration.ofHours(1)));
        assertThat(v.judgedOver()).isEqualTo("14:00-14:08 KST against 13:00-14:00 KST");
    }

    @Test
    void theIssuesExampleNamesItsNumbers() {
        traffic.at(minute(3), m -> errors(m, 12, 0))
                .at(minute(4), m -> healthy(m, 0))
                .at(minute(5), m -> healthy(m, 0));
        DowntimeVerdict v = judge();
        assertThat(v.status()).isEqualTo(Status.NO);
        assertThat(v.text()).isEqualTo("no (12 target 5xx in minute 3, healthy hosts 0 for 2 min from minute 4)");
    }

    @Test
    void fiveHundredsAreJudgedAgainstTheWorstMinuteOfTheHourBefore() {
        traffic.at(START.minus(Duration.ofMinutes(30)), m -> errors(m, 3, 0)).at(minute(2), m -> errors(m, 3, 0));
        assertThat(judge().text()).isEqualTo("yes");

        traffic.at(minute(6), m -> errors(m, 4, 0)).at(minute(7), m -> errors(m, 9, 0));
        assertThat(judge().text())
                .isEqualTo("no (9 target 5xx in minute 7 (13 in 2 min; the hour before at most 3 a minute))");
    }

    @Test
    void theLoadBalancersOwn5xxCountEvenWhenNoTargetAnswered() {
        traffic.at(minute(5), m -> new Minute(m.at(), 1.0, 0.0, null, 40.0, null));
        assertThat(judge().text()).isEqualTo("no (40 load balancer 5xx in minute 5)");
    }

    @Test
    void oneMinuteWithoutAHealthyHostIsNeverZeroDowntime() {
        traffic.at(minute(8), m -> healthy(m, 0));
        assertThat(judge().text()).isEqualTo("no (healthy hosts 0 for 1 min from minute 8)");
        traffic.at(minute(8), m -> healthy(m, 1));
        assertThat(judge().status()).isEqualTo(Status.YES);
    }

    @Test
    void aSlowerP95IsReportedBeyondTheConfiguredRiseButIsNotDowntime() {
        traffic.p95Before = 0.2;
        traffic.p95Window = 0.3; // +50 %: at the threshold, not beyond it
        assertThat(judge().text()).isEqualTo("yes");
        traffic.p95Window = 0.302;
        assertThat(judge().text()).isEqualTo("yes (p95 response time +51 % (302 ms against 200 ms the hour before))");
    }

    @Test
    void unhealthyHostsAreReportedNotCounted() {
        traffic.at(minute(2), m -> new Minute(m.at(), 2.0, 1.0, 0.0, 0.0, 100.0));
        assertThat(judge().text()).isEqualTo("yes (unhealthy hosts up to 1 in minute 2)");
    }

    @Test
    void missingMetricsAreNotMeasuredNeverYes() {
        traffic.gap(START.minus(Duration.ofHours(2)), END);
        assertThat(judge().text())
                .isEqualTo(
                        "not measured: no load balancer metrics for the window (14:00-14:08 KST against 13:00-14:00 KST)");
    }

    @Test
    void metricsThatBeginAfterTheDeploymentStartedLeaveItUnproven() {
        traffic.gap(START.minus(Duration.ofHours(2)), minute(4));
        assertThat(judge().text())
                .isEqualTo("not measured: the metrics begin at 14:03 KST, after the deployment started at 14:00 KST"
                        + " (no downtime after that)");
        // what the metrics do show still counts
        traffic.at(minute(6), m -> healthy(m, 0));
        assertThat(judge().text()).isEqualTo("no (healthy hosts 0 for 1 min from minute 6)");
        // a first minute missing is CloudWatch's delay, not a blind spot
        traffic.gap(START.minus(Duration.ofHours(2)), minute(2));
        assertThat(judge().status()).isEqualTo(Status.NO);
    }

    @Test
    void aDeploymentLongerThanADayIsReadOverItsLastDayAndNotProven() {
        Placement old = Placement.of(END.minus(Duration.ofHours(30)), BACKEND.targetGroups());
        DowntimeVerdict v = new ZeroDowntime(traffic, 50).judge(old, END);
        assertThat(traffic.askedFrom).isEqualTo(END.minus(Duration.ofHours(24)));
        assertThat(v.text())
                .isEqualTo(
                        "not measured: the deployment ran 30 h and only its last 24 h were read (no downtime in them)");
    }

    @Test
    void whatCannotBeLookedUpIsSaid() {
        ZeroDowntime z = new ZeroDowntime(traffic, 50);
        assertThat(z.judge(Placement.unknown("service kfood-cluster/kfood-x not found"), END)
                        .text())
                .isEqualTo(
                        "not measured: the deployment could not be looked up (service kfood-cluster/kfood-x not found)");
        assertThat(z.judge(Placement.of(null, BACKEND.targetGroups()), END).text())
                .isEqualTo("not measured: the deployment's start is unknown");
        assertThat(z.judge(Placement.of(START, List.of()), END).text())
                .isEqualTo("not measured: no load balancer in front of the service");
        traffic.targets = List.of();
        assertThat(z.judge(BACKEND, END).text())
                .isEqualTo("not measured: its target groups are behind no load balancer");
        traffic.failure = CloudWatchException.builder()
                .statusCode(400)
                .message("Rate exceeded")
                .build();
        assertThat(z.judge(BACKEND, END).text())
                .startsWith("not measured: the load balancer's metrics could not be read (");
    }

    @Property(tries = 200)
    void aMinuteWithoutHealthyHostsAnywhereInTheWindowIsAlwaysNo(
            @ForAll @IntRange(min = 1, max = 8) int down, @ForAll @IntRange(min = 0, max = 50) int errors) {
        FakeTraffic one = new FakeTraffic().at(minute(down), m -> errors(healthy(m, 0), errors, 0));
        DowntimeVerdict v = new ZeroDowntime(one, 50).judge(BACKEND, END);
        assertThat(v.status()).isEqualTo(Status.NO);
        assertThat(v.text()).contains("healthy hosts 0 for 1 min from minute " + down);
    }
}
