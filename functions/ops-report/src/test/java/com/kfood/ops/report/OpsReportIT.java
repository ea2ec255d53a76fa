package com.kfood.ops.report;

import static com.kfood.ops.emulator.DemoPlatform.NOTIFICATIONS_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.DemoUpkeep;
import com.kfood.ops.emulator.EdgeHistory;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.emulator.ReportHistory;
import com.kfood.ops.shared.Json;
import com.kfood.ops.testsupport.Invocations;
import com.kfood.ops.testsupport.Moto;
import com.kfood.ops.testsupport.MotoExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The three reports over the emulator seeded with the platform's history (ReportHistory): their
 * numbers are worked out here from what was seeded, independently of the report's code; the
 * calls each report makes are counted.
 */
@ExtendWith(MotoExtension.class)
class OpsReportIT {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private Moto moto;
    private ReportHistory history;
    private Instant now;

    @BeforeEach
    void seed(Moto moto) {
        this.moto = moto;
        moto.seedPlatform();
        now = Instant.now();
        history = new ReportHistory(moto.aws(), now);
        history.seed();
    }

    private OpsReportHandler handler() {
        return new OpsReportHandler(moto.env(Map.ofEntries(
                Map.entry("STACK_NAME", "kfood-ops"),
                Map.entry("NOTIFY_TOPIC_ARN", DemoPlatform.topicArn(NOTIFICATIONS_TOPIC)),
                Map.entry("DB_INSTANCE_IDS", DemoPlatform.DB),
                Map.entry("SNAPSHOT_PREFIX", DemoPlatform.SNAPSHOT_PREFIX),
                Map.entry("WEEKLY_RETENTION_WEEKS", "8"),
                Map.entry("MONTHLY_RETENTION_MONTHS", "12"),
                Map.entry("ALB_FULL_NAME", ReportHistory.ALB),
                Map.entry("CACHE_CLUSTER_IDS", ReportHistory.CACHE),
                Map.entry("REPORTS_BUCKET", DemoPlatform.REPORTS_BUCKET),
                Map.entry("STATE_BUCKET", DemoPlatform.STATE_BUCKET),
                Map.entry("BACKUP_SOURCE_BUCKET", DemoPlatform.UPLOADS_BUCKET),
                Map.entry("BACKUP_BUCKET", DemoPlatform.BACKUP_BUCKET),
                Map.entry("PLATFORM_SECRET_ARNS", DemoUpkeep.secretIds()),
                Map.entry("LOG_SILENCE_OVERRIDES", DemoUpkeep.QUIET_OVERRIDE),
                Map.entry("AWS_LAMBDA_FUNCTION_NAME", DemoUpkeep.REPORT_FUNCTION))));
    }

    private JsonNode run(String kind) {
        return run(kind, now);
    }

    private JsonNode run(String kind, Instant at) {
        return Invocations.invoke(
                handler(), Invocations.json("{\"report\": \"" + kind + "\", \"at\": \"" + at + "\"}"), 120);
    }

    private JsonNode document(String kind) {
        return document(kind, now);
    }

    private JsonNode document(String kind, Instant at) {
        ReportPeriod p = ReportPeriod.of(ReportKind.parse(kind), at, SEOUL);
        S3Client s3 = moto.aws().build(S3Client.builder().forcePathStyle(true), "S3");
        return Json.parseEmbedded(
                s3.getObjectAsBytes(b -> b.bucket(DemoPlatform.REPORTS_BUCKET).key("reports/" + p.key() + ".json"))
                        .asUtf8String());
    }

    private static JsonNode item(JsonNode doc, String section, String label) {
        for (JsonNode s : doc.path("sections")) {
            if (s.path("key").asText().equals(section)) {
                for (JsonNode i : s.path("items")) {
                    if (i.path("label").asText().equals(label)) {
                        return i;
                    }
                }
            }
        }
        throw new AssertionError("no item '" + label + "' in section " + section);
    }

    @Test
    void theMonthlyReportsAvailabilityPercentilesAndGrowthAreTheSeededDatas() {
        JsonNode result = run("monthly");
        JsonNode doc = document("monthly");
        ReportPeriod month = ReportPeriod.of(ReportKind.MONTHLY, now, SEOUL);

        // http-1: the month's good and measured minutes as seeded (a 30-minute outage on the 14th)
        List<ReportHistory.Seeded> http =
                history.seeded("Success", Map.of("Check", "http-1"), month.start(), month.end());
        double good = http.stream().mapToDouble(ReportHistory.Seeded::sum).sum();
        double measured = http.stream().mapToDouble(ReportHistory.Seeded::count).sum();
        assertThat(measured - good).isEqualTo(ReportHistory.MONTHLY_OUTAGE_MINUTES);
        JsonNode check = item(doc, "availability", "check http-1");
        assertThat(check.at("/numbers/availabilityPercent").asDouble())
                .isCloseTo(100 * good / measured, within(0.001))
                .isCloseTo(100.0 * (month.minutes() - 30) / month.minutes(), within(0.001));
        assertThat(check.path("value").asText()).startsWith(month.minutes() == 30 * 1440 ? "99.931 %" : "99.933 %");
        assertThat(item(doc, "availability", "SLA 99.90 %: error budget")
                        .at("/numbers/compliant")
                        .asBoolean())
                .isTrue();

        // the deployments' zero-downtime verdicts as the notifier put them: the month's failed one a "no"
        List<ReportHistory.Seeded> verdicts =
                history.seeded("DeploymentsWithDowntime", Map.of(), month.start(), month.end());
        JsonNode downtime = item(doc, "changes", "deployments with downtime");
        assertThat(downtime.at("/numbers/judged").asDouble())
                .isEqualTo(verdicts.size())
                .isPositive();
        assertThat(downtime.at("/numbers/withDowntime").asDouble())
                .isEqualTo(
                        verdicts.stream().mapToDouble(ReportHistory.Seeded::sum).sum());

        // latency: CloudWatch's nearest-rank percentiles of the month's raw samples
        List<Double> samples = new ArrayList<>();
        history.seeded("TargetResponseTime", Map.of(), month.start(), month.end())
                .forEach(d -> samples.addAll(d.values()));
        JsonNode latency = item(doc, "api", "latency p50 / p95 / p99");
        assertThat(latency.at("/numbers/p95Ms").asDouble()).isCloseTo(1000 * nearestRank(samples, 95), within(0.01));
        assertThat(latency.at("/numbers/p99Ms").asDouble()).isCloseTo(1000 * nearestRank(samples, 99), within(0.01));

        // storage: 0.5 GiB a day, days until the 100 GiB allocated are full from the month's last day
        JsonNode storage = item(doc, "capacity", "storage " + DemoPlatform.DB);
        double usedAtEnd = history.usedGib(month.endDay().minusDays(1));
        assertThat(storage.at("/numbers/growthGiBPerDay").asDouble()).isCloseTo(0.5, within(1e-6));
        assertThat(storage.at("/numbers/usedGiB").asDouble()).isCloseTo(usedAtEnd, within(0.01));
        assertThat(storage.at("/numbers/daysUntilFull").asDouble())
                .isCloseTo((ReportHistory.ALLOCATED_GIB - usedAtEnd) / 0.5, within(0.01));

        // one GetMetricData call per window (series, this month's totals, last month's), at most two billed Cost
        // Explorer calls
        assertThat(result.at("/apiCalls/GetMetricData").asInt()).isEqualTo(3);
        assertThat(result.at("/apiCalls/GetCostAndUsage").asInt()).isBetween(1, CostSource.MAX_CALLS);
        assertThat(result.path("sections").properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("availability", "api", "backups", "changes", "capacity", "maintenance", "cost");
    }

    @Test
    void theDailyReportCountsErrorsAsTheLogsHoldThemMaskedAndLinksItsPage() throws Exception {
        JsonNode result = run("daily");
        JsonNode doc = document("daily");
        ReportPeriod day = ReportPeriod.of(ReportKind.DAILY, now, SEOUL);

        // the ERROR lines as FilterLogEvents counts them, another API than the report's Insights
        CloudWatchLogsClient logs = moto.aws().build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS");
        long errors = 0;
        for (String service : DemoPlatform.SERVICES) {
            errors += logs
                    .filterLogEventsPaginator(b -> b.logGroupName(DemoPlatform.LOG_GROUP_PREFIX + service)
                            .filterPattern("ERROR")
                            .startTime(day.start().toEpochMilli())
                            .endTime(day.end().toEpochMilli() - 1))
                    .events()
                    .stream()
                    .count();
        }
        // the worker's group, silent for 3 days, is not measured; the nightly batch's, within its 48 h, is
        JsonNode count = item(doc, "errors", "ERROR lines in 3 log group(s)");
        JsonNode silent = item(doc, "errors", "ERROR lines in " + DemoUpkeep.SILENT_GROUP);
        assertThat(silent.path("value").asText())
                .startsWith("not measured: no events since ")
                .endsWith("(3.0 days ago)");
        assertThat(silent.path("verdict").asText()).isEqualTo("ACT");
        assertThat(item(doc, "errors", "log groups alive").path("value").asText())
                .isEqualTo("3 of 4 (1 silent)");
        assertThat(count.at("/numbers/errorLines").asLong()).isEqualTo(errors).isPositive();
        String page = doc.toString();
        assertThat(page)
                .doesNotContain("@example.com")
                .doesNotContain("10.0.3.")
                .doesNotContain("9f8e7d6c5b4a3928");

        // redis: 5 minutes down in the last 24 hours; the database check: 15 minutes without data
        assertThat(item(doc, "availability", "check redis")
                        .at("/numbers/downMinutes")
                        .asDouble())
                .isEqualTo(5.0);
        assertThat(item(doc, "availability", "check database")
                        .at("/numbers/notMeasuredMinutes")
                        .asDouble())
                .isEqualTo(15.0);
        // the planned metrics' three calls, then the Edge section's: the WAF's rules and CloudFront, in us-east-1
        assertThat(result.at("/apiCalls/GetMetricData").asInt()).isEqualTo(5);

        // the edge as us-east-1 holds it: the rate-limit rule's burst of 450 against its usual ~30 an hour
        JsonNode rate = item(doc, "edge", "WAF kfood-edge-acl / RateLimitPerIP (rate limit)");
        assertThat(rate.path("verdict").asText()).isEqualTo("WATCH");
        assertThat(rate.at("/numbers/historyDays").asInt()).isEqualTo(7);
        assertThat(item(doc, "edge", "WAF kfood-edge-acl / AWS-AWSManagedRulesSQLiRuleSet (SQL injection)")
                        .path("verdict")
                        .asText())
                .isEqualTo("OK");
        JsonNode cdn = item(doc, "edge", "CloudFront " + EdgeHistory.DISTRIBUTION);
        assertThat(cdn.at("/numbers/error5xxPercent").asDouble()).isEqualTo(0.04);
        assertThat(cdn.at("/numbers/cacheHitPercent").asDouble()).isEqualTo(91.5);
        assertThat(item(doc, "edge", "load balancer 4xx")
                        .at("/numbers/ratePercent")
                        .asDouble())
                .isEqualTo(1.0);

        List<Inbox.Published> sent = moto.drain(NOTIFICATIONS_TOPIC);
        assertThat(sent).singleElement().satisfies(n -> {
            assertThat(n.subject()).startsWith("[WARN] kfood-ops: Daily operations report");
            String link = n.description().replaceAll("(?s).*<(http://[^|>]+)\\|Full report.*", "$1");
            HttpResponse<String> opened = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(opened.statusCode()).isEqualTo(200);
            assertThat(opened.body()).contains("<canvas id=\"chart-availability\"");
        });
    }

    @Test
    void theWeeklySecurityUpdatesCoverImagesCachesRuntimeSecretsAndControls() {
        JsonNode result = run("weekly");
        JsonNode doc = document("weekly");
        String tag = ":" + DemoUpkeep.IMAGE_TAG;

        JsonNode backend = item(doc, "maintenance", "image kfood-backend: kfood-backend" + tag);
        assertThat(backend.path("verdict").asText()).isEqualTo("ACT");
        assertThat(backend.path("value").asText())
                .startsWith("2 critical, 3 high, 5 medium; oldest critical open 12 days");
        assertThat(backend.path("note").asText()).isEqualTo("Amazon Inspector");
        JsonNode frontend = item(doc, "maintenance", "image kfood-frontend: kfood-frontend" + tag);
        assertThat(frontend.path("verdict").asText()).isEqualTo("WATCH");
        assertThat(frontend.path("value").asText()).endsWith("scanned 10 days ago: stale, not a clean bill");

        assertThat(item(doc, "maintenance", "secret " + DemoPlatform.DB_SECRET)
                        .path("value")
                        .asText())
                .isEqualTo("rotation off, never rotated");
        assertThat(item(doc, "maintenance", "secret " + DemoPlatform.CARE_SECRET)
                        .path("verdict")
                        .asText())
                .isEqualTo("OK");
        assertThat(item(doc, "maintenance", "secret " + DemoUpkeep.REDIS_SECRET)
                        .path("value")
                        .asText())
                .startsWith("the last rotation did not finish");
        // the emulator has no DescribeUpdateActions: said, not shown as "none pending"
        assertThat(item(doc, "maintenance", "ElastiCache service updates")
                        .path("value")
                        .asText())
                .startsWith("not available: ");
        assertThat(item(doc, "maintenance", "Lambda runtime").path("value").asText())
                .startsWith("java25: no deprecation announced");
        assertThat(item(doc, "maintenance", "Security Hub failing controls")
                        .path("value")
                        .asText())
                .isEqualTo("4: CloudFront.5 (low), ECS.3 (medium), RDS.8 (medium), S3.8 (high)");
        assertThat(item(doc, "maintenance", "platform kfood-backend")
                        .path("value")
                        .asText())
                .startsWith("Fargate ");
        // the daily's silent log group, in the week's view too
        assertThat(item(doc, "maintenance", "ERROR lines in " + DemoUpkeep.SILENT_GROUP)
                        .path("verdict")
                        .asText())
                .isEqualTo("ACT");
        // one read of each kind per image and secret; never a secret's value
        assertThat(result.at("/apiCalls/DescribeImageScanFindings").asInt()).isEqualTo(2);
        assertThat(result.at("/apiCalls/DescribeSecret").asInt()).isEqualTo(3);
        assertThat(result.at("/apiCalls").has("GetSecretValue")).isFalse();
        assertThat(doc.toString()).doesNotContain("demo-only");
    }

    @Test
    void theMonthlyTrendComparesWithTheMonthBeforesStoredReport() {
        Instant monthAgo = now.atZone(SEOUL).minusMonths(1).toInstant();
        run("monthly");
        assertThat(item(document("monthly"), "maintenance", "findings trend kfood-backend")
                        .path("value")
                        .asText())
                .startsWith("not measured: no monthly report of ");

        run("monthly", monthAgo);
        run("monthly");

        JsonNode trend = item(document("monthly"), "maintenance", "findings trend kfood-backend");
        assertThat(trend.path("value").asText()).isEqualTo("0 opened, 0 fixed (critical and high)");
        assertThat(trend.path("trend").asText()).startsWith("against the monthly report of ");
    }

    @Test
    void aRetriedScheduleIsSentOnce() {
        String scheduled = "{\"source\": \"aws.scheduler\", \"detail-type\": \"Scheduled Event\", \"time\": \"" + now
                + "\", \"detail\": {\"report\": \"weekly\"}}";

        JsonNode first = Invocations.invoke(handler(), Invocations.json(scheduled), 120);
        JsonNode again = Invocations.invoke(handler(), Invocations.json(scheduled), 120);

        assertThat(first.path("notified").asBoolean()).isTrue();
        assertThat(again.path("notified").asBoolean()).isFalse();
        assertThat(moto.drain(NOTIFICATIONS_TOPIC)).hasSize(1);
    }

    /** CloudWatch's percentile of raw samples: the nearest rank. */
    static double nearestRank(List<Double> values, double percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(percent / 100 * sorted.size()) - 1);
    }
}
