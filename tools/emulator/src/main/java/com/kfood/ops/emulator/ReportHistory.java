package com.kfood.ops.emulator;

import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Json;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.SeverityLabel;

/**
 * What the operations report reads, seeded into the emulator as the platform would have produced it
 * from the first day of the month before last until now: the health checks' per-minute success (a
 * 30-minute outage of http-1 in the last calendar month, 12 minutes of it last week, 5 minutes of
 * redis and 15 unmeasured minutes of the database check in the last 24 hours), load balancer
 * latency (one slow day three days ago) and traffic, ECS, RDS and ElastiCache usage, RDS storage
 * growing 0.5 GiB a day, deployments and remediations, ERROR lines over the last two days, Cost
 * Explorer's answer and a few Security Hub findings.
 *
 * <p>Days before yesterday are one statistic set per day (what CloudWatch keeps as the day's
 * Sum, SampleCount, Minimum and Maximum), the last days one per hour, so the emulator holds a few
 * thousand datapoints rather than a hundred thousand minutes; latency is published as raw values so
 * percentiles can be computed from them, as CloudWatch does.
 */
public final class ReportHistory {
    public static final ZoneId KST = ZoneId.of("Asia/Seoul");
    public static final String ALB = "app/kfood-alb/50dc6c495c0c9188";
    public static final String CACHE = "kfood-redis-001";
    public static final List<String> CHECKS = List.of("database", "redis", "http-1");
    /** http-1's outage in the last calendar month: on its 14th, this many minutes. */
    public static final int MONTHLY_OUTAGE_MINUTES = 30;

    public static final double ALLOCATED_GIB = 100;
    public static final double GROWTH_GIB_PER_DAY = 0.5;
    /** The load balancer's latency samples of one day, in seconds (each hour one, in this order). */
    public static final List<Double> DAY_LATENCY = List.of(
            0.040, 0.045, 0.050, 0.055, 0.060, 0.065, 0.070, 0.075, 0.080, 0.085, 0.090, 0.100, 0.110, 0.120, 0.130,
            0.140, 0.150, 0.170, 0.190, 0.210, 0.240, 0.280, 0.350, 0.600);

    private static final double GIB = 1L << 30;

    private final CloudWatchClient cloudWatch;
    private final AwsClients aws;
    private final CloudWatchLogsClient logs;
    private final SecurityHubClient securityHub;
    private final URI endpoint;
    private final Instant now;
    private final LocalDate today;
    private final LocalDate first;
    private final Instant hourlyFrom;

    private record Pending(String namespace, MetricDatum datum) {}

    /** A datapoint as seeded, kept so tests can work out from the inputs what a report must say. */
    public record Seeded(
            String name, Map<String, String> dims, Instant at, double count, double sum, List<Double> values) {}

    private final List<Seeded> seeded = new ArrayList<>();

    private final List<Pending> pending = new ArrayList<>();
    private int datapoints;

    public ReportHistory(AwsClients aws, Instant now) {
        // the emulator cannot read the gzip the SDK sends for large PutMetricData requests
        System.setProperty("aws.disableRequestCompression", "true");
        this.cloudWatch = aws.build(CloudWatchClient.builder(), "CLOUDWATCH");
        this.aws = aws;
        this.logs = aws.build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS");
        this.securityHub = aws.build(SecurityHubClient.builder(), "SECURITYHUB");
        this.endpoint =
                aws.endpoint("CE").orElseThrow(() -> new IllegalStateException("the emulator's endpoint is not set"));
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
        this.today = now.atZone(KST).toLocalDate();
        this.first = today.withDayOfMonth(1).minusMonths(2);
        this.hourlyFrom = today.minusDays(2).atStartOfDay(KST).toInstant();
    }

    /** The 14th of the last calendar month: http-1's outage. */
    public static LocalDate monthlyOutageDay(LocalDate today) {
        return today.withDayOfMonth(1).minusMonths(1).withDayOfMonth(14);
    }

    /** Three days ago: the load balancer's slow day (latency three times the usual). */
    public static LocalDate slowDay(LocalDate today) {
        return today.minusDays(3);
    }

    /** The datapoints of metric {@code name} seeded in [{@code from}, {@code to}) whose dimensions include {@code dims}. */
    public List<Seeded> seeded(String name, Map<String, String> dims, Instant from, Instant to) {
        return seeded.stream()
                .filter(d -> d.name().equals(name)
                        && d.dims().entrySet().containsAll(dims.entrySet())
                        && !d.at().isBefore(from)
                        && d.at().isBefore(to))
                .toList();
    }

    /** Whether this emulator has the history already (a second start of a running emulator adds none). */
    public boolean seeded() {
        return !cloudWatch
                .listMetrics(b -> b.namespace("AWS/ApplicationELB").metricName("TargetResponseTime"))
                .metrics()
                .isEmpty();
    }

    /** Seeds everything; returns the number of datapoints put. */
    public int seed() {
        for (LocalDate day = first; day.atStartOfDay(KST).toInstant().isBefore(hourlyFrom); day = day.plusDays(1)) {
            Instant noon = day.atTime(12, 0).atZone(KST).toInstant();
            seedPeriod(day, noon, 1440, true, check -> 0, check -> 0);
        }
        // the last days in blocks that end at whole hours before now and at each midnight, each stamped
        // at its last second: a window starting at a midnight or 24 hours before now holds whole blocks
        Instant end = now.truncatedTo(ChronoUnit.MINUTES);
        TreeSet<Instant> cuts = new TreeSet<>(List.of(hourlyFrom, end));
        for (Instant t = end.minus(Duration.ofHours(1)); t.isAfter(hourlyFrom); t = t.minus(Duration.ofHours(1))) {
            cuts.add(t);
        }
        for (LocalDate d = today.minusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
            cuts.add(d.atStartOfDay(KST).toInstant());
        }
        Instant from = null;
        for (Instant to : cuts.headSet(end, true)) {
            if (from != null) {
                Instant a = from;
                int minutes = (int) Duration.between(from, to).toMinutes();
                seedPeriod(
                        from.atZone(KST).toLocalDate(),
                        to.minusSeconds(1),
                        minutes,
                        false,
                        check -> "redis".equals(check) && holds(a, to, end.minus(Duration.ofHours(6)))
                                ? Math.min(5, minutes)
                                : 0,
                        check -> "database".equals(check) && holds(a, to, end.minus(Duration.ofHours(10)))
                                ? Math.min(15, minutes)
                                : 0);
            }
            from = to;
        }
        changes();
        flush();
        seedErrors();
        seedCost();
        seedFindings();
        new DemoUpkeep(aws, now).seed();
        return datapoints + new EdgeHistory(aws, now).seed();
    }

    private static boolean holds(Instant from, Instant to, Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    /**
     * One period's datapoints, {@code minutes} long (a whole day's carry its outages and 24 latency
     * samples, a shorter one the sample of its hour). {@code down} and {@code unmeasured} give a
     * check's minutes down and without a datapoint.
     */
    private void seedPeriod(
            LocalDate day,
            Instant at,
            int minutes,
            boolean wholeDay,
            java.util.function.Function<String, Integer> down,
            java.util.function.Function<String, Integer> unmeasured) {
        double share = minutes / 1440.0;
        for (String check : CHECKS) {
            int bad = down.apply(check) + (wholeDay ? outage(check, day) : 0);
            int measured = minutes - unmeasured.apply(check);
            stat(
                    "KfoodOps",
                    "Success",
                    dims("Service", "HealthCheckFunction", "Check", check),
                    at,
                    measured,
                    measured - bad,
                    bad > 0 ? 0 : 1,
                    1);
        }
        double slow = day.equals(slowDay(today)) ? 3 : 1;
        List<Double> values = new ArrayList<>();
        if (wholeDay) {
            DAY_LATENCY.forEach(v -> values.add(v * slow));
        } else {
            values.add(DAY_LATENCY.get(at.atZone(KST).getHour()) * slow);
        }
        Map<String, String> alb = dims("LoadBalancer", ALB);
        seeded.add(new Seeded("TargetResponseTime", alb, at, values.size(), 0, List.copyOf(values)));
        pending.add(new Pending(
                "AWS/ApplicationELB",
                MetricDatum.builder()
                        .metricName("TargetResponseTime")
                        .dimensions(dimensions(alb))
                        .timestamp(at)
                        .values(values)
                        .unit("Seconds")
                        .build()));
        stat("AWS/ApplicationELB", "RequestCount", alb, at, minutes, 120_000 * share, 20, 180);
        stat("AWS/ApplicationELB", "HTTPCode_Target_4XX_Count", alb, at, minutes, 1_200 * share, 0, 9);
        stat(
                "AWS/ApplicationELB",
                "HTTPCode_Target_5XX_Count",
                alb,
                at,
                minutes,
                (slow > 1 ? 900 : 60) * share,
                0,
                slow > 1 ? 40 : 3);
        for (var s : Map.of(
                        "kfood-backend", new double[] {42, 78, 55, 70}, "kfood-frontend", new double[] {35, 61, 48, 60})
                .entrySet()) {
            Map<String, String> d = dims("ClusterName", DemoPlatform.CLUSTER, "ServiceName", s.getKey());
            double[] v = s.getValue();
            stat("AWS/ECS", "CPUUtilization", d, at, minutes, v[0] * minutes, 10, v[1]);
            stat("AWS/ECS", "MemoryUtilization", d, at, minutes, v[2] * minutes, 30, v[3]);
        }
        Map<String, String> db = dims("DBInstanceIdentifier", DemoPlatform.DB);
        stat("AWS/RDS", "CPUUtilization", db, at, minutes, 30.0 * minutes, 8, 65);
        stat("AWS/RDS", "DatabaseConnections", db, at, minutes, 40.0 * minutes, 12, 95);
        stat("AWS/RDS", "FreeableMemory", db, at, minutes, 1.6 * GIB * minutes, 1.2 * GIB, 2.0 * GIB);
        double free = (ALLOCATED_GIB - usedGib(day)) * GIB;
        stat("AWS/RDS", "FreeStorageSpace", db, at, minutes, free * minutes, free, free);
        Map<String, String> cache = dims("CacheClusterId", CACHE);
        stat("AWS/ElastiCache", "CPUUtilization", cache, at, minutes, 12.0 * minutes, 4, 30);
        stat("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", cache, at, minutes, 45.0 * minutes, 44, 52);
        double evictions = wholeDay && day.equals(today.minusDays(5)) ? 120 : 0;
        stat("AWS/ElastiCache", "Evictions", cache, at, minutes, evictions, 0, evictions);
    }

    /** Minutes down of a whole day: http-1's outages (30 minutes on the 14th of last month, 12 five days ago). */
    private int outage(String check, LocalDate day) {
        if (!"http-1".equals(check)) {
            return 0;
        }
        if (day.equals(monthlyOutageDay(today))) {
            return MONTHLY_OUTAGE_MINUTES;
        }
        // a short one in the last week, never in last month (whose 30 minutes the monthly report is checked
        // against): on the 1st to the 5th of a month there is none (found by ./ops test-shifted 60)
        LocalDate shortOne = today.minusDays(5);
        return day.equals(shortOne) && shortOne.getMonth() == today.getMonth() ? 12 : 0;
    }

    /** RDS storage used on {@code day}: 40 GiB on the first seeded day, growing 0.5 GiB a day. */
    public double usedGib(LocalDate day) {
        return 40 + GROWTH_GIB_PER_DAY * ChronoUnit.DAYS.between(first, day);
    }

    /** Deployments on weekdays (backend daily, frontend Tuesdays and Thursdays), one failure rolled back, remediations. */
    private void changes() {
        Map<String, String> remediation =
                dims("Service", "AlarmRemediationFunction", "Action", "ecs-force-new-deployment");
        for (LocalDate day = first; day.isBefore(today); day = day.plusDays(1)) {
            Instant at = day.atTime(15, 0).atZone(KST).toInstant();
            if (day.getDayOfWeek().getValue() >= DayOfWeek.SATURDAY.getValue()) {
                continue;
            }
            boolean failure = day.getDayOfMonth() == 9;
            deploy("kfood-backend", at, failure, 480);
            if (day.getDayOfWeek() == DayOfWeek.TUESDAY || day.getDayOfWeek() == DayOfWeek.THURSDAY) {
                deploy("kfood-frontend", at.plus(Duration.ofHours(1)), false, 300);
            }
            if (failure || day.getDayOfMonth() == 20) {
                stat("KfoodOps", "ActionsExecuted", remediation, at.plus(Duration.ofMinutes(10)), 1, 1, 1, 1);
            }
            if (day.getDayOfMonth() == 20) {
                stat(
                        "KfoodOps",
                        "ActionsSuppressed",
                        dims("Service", "AlarmRemediationFunction", "Action", "ecs-scale-out"),
                        at.plus(Duration.ofMinutes(20)),
                        2,
                        2,
                        1,
                        1);
            }
        }
    }

    private void deploy(String service, Instant at, boolean failed, double seconds) {
        Map<String, String> d = dims("Service", "DeployNotifierFunction", "ServiceName", service);
        stat("KfoodOps", "DeploymentsStarted", d, at, 1, 1, 1, 1);
        Instant end = at.plusSeconds((long) seconds);
        stat("KfoodOps", failed ? "DeploymentsFailed" : "DeploymentsSucceeded", d, end, 1, 1, 1, 1);
        stat("KfoodOps", "DeploymentDurationSeconds", d, end, 1, seconds, seconds, seconds);
        if (failed) {
            stat("KfoodOps", "DeploymentsRolledBack", d, end, 1, 1, 1, 1);
        }
        // the zero-downtime verdict: the failed deployment's users saw errors, the others' none
        stat("KfoodOps", "DeploymentsWithDowntime", d, end, 1, failed ? 1 : 0, failed ? 1 : 0, failed ? 1 : 0);
    }

    private void stat(
            String namespace,
            String name,
            Map<String, String> dims,
            Instant at,
            double count,
            double sum,
            double min,
            double max) {
        if (count <= 0) {
            return;
        }
        seeded.add(new Seeded(name, dims, at, count, sum, List.of()));
        pending.add(new Pending(
                namespace,
                MetricDatum.builder()
                        .metricName(name)
                        .dimensions(dimensions(dims))
                        .timestamp(at)
                        .statisticValues(
                                s -> s.sampleCount(count).sum(sum).minimum(min).maximum(max))
                        .build()));
    }

    /** Puts what is pending, one namespace per request, at most 500 datapoints each. */
    private void flush() {
        Map<String, List<MetricDatum>> byNamespace = new LinkedHashMap<>();
        for (Pending p : pending) {
            byNamespace.computeIfAbsent(p.namespace(), k -> new ArrayList<>()).add(p.datum());
        }
        byNamespace.forEach((namespace, data) -> {
            for (int i = 0; i < data.size(); i += 500) {
                List<MetricDatum> batch = data.subList(i, Math.min(data.size(), i + 500));
                cloudWatch.putMetricData(b -> b.namespace(namespace).metricData(batch));
                datapoints += batch.size();
            }
        });
        pending.clear();
    }

    /** ERROR lines of the last two days: the same few failures with different ids, numbers and users. */
    private void seedErrors() {
        record Shape(String service, int lastDay, int dayBefore, IntFunction<String> line) {}
        List<Shape> shapes = List.of(
                new Shape(
                        "kfood-backend",
                        40,
                        22,
                        i -> "ERROR GET /api/videos/" + (81_000 + i * 7) + " 500: connection to redis://10.0.3."
                                + (i % 20) + ":6379 refused after 3 tries"),
                new Shape(
                        "kfood-backend",
                        15,
                        6,
                        i -> "ERROR POST /api/uploads 500 user=fan" + i + "@example.com session=9f8e7d6c5b4a3928"
                                + String.format(Locale.ROOT, "%016x", i * 977L)),
                new Shape(
                        "kfood-backend",
                        7,
                        2,
                        i -> "ERROR GET /api/feed 500: timeout after 5000ms (request "
                                + String.format(Locale.ROOT, "4b1c2d3e-5f60-4718-a9b0-%012d", i) + ")"),
                new Shape(
                        "kfood-frontend", 5, 3, i -> "ERROR render /watch/" + (1_000 + i) + ": video manifest missing"),
                new Shape("kfood-frontend", 2, 0, i -> "ERROR render /profile: token=abc" + i + "def expired"));
        Map<String, List<InputLogEvent>> byService = new LinkedHashMap<>();
        for (Shape s : shapes) {
            for (int i = 0; i < s.lastDay() + s.dayBefore(); i++) {
                boolean recent = i < s.lastDay();
                // spread over each day, away from the window edges
                long minutesAgo = recent
                        ? 30 + (i * 1_380L / Math.max(1, s.lastDay()))
                        : 1_440 + 30 + ((i - s.lastDay()) * 1_380L / Math.max(1, s.dayBefore()));
                byService
                        .computeIfAbsent(s.service(), k -> new ArrayList<>())
                        .add(InputLogEvent.builder()
                                .timestamp(now.minus(Duration.ofMinutes(minutesAgo))
                                        .toEpochMilli())
                                .message(s.line().apply(i))
                                .build());
            }
        }
        byService.forEach((service, events) -> {
            String group = DemoPlatform.LOG_GROUP_PREFIX + service;
            String stream = "app/" + service + "/history";
            List<InputLogEvent> sorted = new ArrayList<>(events);
            sorted.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
            logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(sorted));
        });
    }

    /**
     * Cost Explorer answers what the emulator is told (moto's static results): one daily answer
     * over the whole seeded span, queued twice (the weekly and the monthly report ask once each).
     */
    private void seedCost() {
        Map<String, Double> daily = new LinkedHashMap<>();
        daily.put("Amazon Elastic Container Service", 38.40);
        daily.put("Amazon Relational Database Service", 52.10);
        daily.put("Amazon ElastiCache", 9.80);
        daily.put("Amazon Simple Storage Service", 6.20);
        daily.put("Amazon CloudFront", 14.50);
        daily.put("AmazonCloudWatch", 3.10);
        List<Map<String, Object>> days = new ArrayList<>();
        for (LocalDate day = first; day.isBefore(today); day = day.plusDays(1)) {
            List<Map<String, Object>> groups = new ArrayList<>();
            for (var e : daily.entrySet()) {
                groups.add(Map.of(
                        "Keys",
                        List.of(e.getKey()),
                        "Metrics",
                        Map.of(
                                "UnblendedCost",
                                Map.of("Amount", String.format(Locale.ROOT, "%.2f", cost(e, day)), "Unit", "USD"))));
            }
            days.add(Map.of(
                    "TimePeriod",
                    Map.of("Start", day.toString(), "End", day.plusDays(1).toString()),
                    "Total",
                    Map.of(),
                    "Groups",
                    groups,
                    "Estimated",
                    false));
        }
        Map<String, Object> answer = Map.of("ResultsByTime", days, "DimensionValueAttributes", List.of());
        post("/moto-api/static/ce/cost-and-usage-results", Json.write(Map.of("results", List.of(answer, answer))));
    }

    /** RDS grew 30 % ten days ago (a bigger instance for the drill season); S3 grows with the uploads. */
    private double cost(Map.Entry<String, Double> service, LocalDate day) {
        return switch (service.getKey()) {
            case "Amazon Relational Database Service" -> day.isBefore(today.minusDays(10)) ? 52.10 : 67.70;
            case "Amazon Simple Storage Service" -> 6.20 + 0.05 * ChronoUnit.DAYS.between(first, day);
            default -> service.getValue();
        };
    }

    private void seedFindings() {
        securityHub.enableSecurityHub(b -> b.enableDefaultStandards(false));
        List<AwsSecurityFinding> findings = new ArrayList<>();
        String[][] seeded = {
            {"HIGH", "S3 general purpose buckets should block public access", "arn:aws:s3:::kfood-uploads", "S3.8"},
            {
                "MEDIUM",
                "RDS DB instances should have deletion protection enabled",
                "arn:aws:rds:ap-northeast-2:" + DemoPlatform.ACCOUNT + ":db:kfood-db",
                "RDS.8"
            },
            {
                "MEDIUM",
                "ECS task definitions should not share the host's process namespace",
                "arn:aws:ecs:ap-northeast-2:" + DemoPlatform.ACCOUNT + ":task-definition/kfood-backend:1",
                "ECS.3"
            },
            {
                "LOW",
                "CloudFront distributions should have logging enabled",
                "arn:aws:cloudfront::" + DemoPlatform.ACCOUNT + ":distribution/E2EXAMPLE",
                "CloudFront.5"
            }
        };
        for (int i = 0; i < seeded.length; i++) {
            String[] f = seeded[i];
            String id = "kfood-demo-finding-" + i;
            findings.add(AwsSecurityFinding.builder()
                    .schemaVersion("2018-10-08")
                    .id(id)
                    .productArn("arn:aws:securityhub:ap-northeast-2::product/aws/securityhub")
                    .generatorId("aws-foundational-security-best-practices")
                    .awsAccountId(DemoPlatform.ACCOUNT)
                    .types("Software and Configuration Checks/Industry and Regulatory Standards")
                    .createdAt(now.minus(Duration.ofDays(3 + i)).toString())
                    .updatedAt(now.minus(Duration.ofDays(1)).toString())
                    .severity(s -> s.label(SeverityLabel.fromValue(f[0])))
                    .title(f[1])
                    .description(f[1])
                    .resources(r -> r.type("Other").id(f[2]))
                    .recordState("ACTIVE")
                    .compliance(c -> c.status("FAILED").securityControlId(f[3]))
                    .workflow(w -> w.status("NEW"))
                    .build());
        }
        securityHub.batchImportFindings(b -> b.findings(findings));
    }

    private void post(String path, String body) {
        MotoApi.post(endpoint, path, body);
    }

    private static Map<String, String> dims(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], kv[i + 1]);
        }
        return out;
    }

    private static List<Dimension> dimensions(Map<String, String> dims) {
        return dims.entrySet().stream()
                .map(e ->
                        Dimension.builder().name(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
