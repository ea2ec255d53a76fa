package com.kfood.ops.emulator;

import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A small copy of the kfood-shorts platform in the emulator: the database, the ECS services with
 * the plan's target tracking (CPU 75 %, 2 to 10 tasks) and their log groups, two of the platform's
 * alarms, the buckets, and the ops topics with an SQS inbox each so what was published can be read
 * back. Seeding twice changes nothing.
 */
public final class DemoPlatform {
    public static final String REGION = "ap-northeast-2";
    public static final String ACCOUNT = "123456789012";
    public static final String DB = "kfood-db";
    public static final String CLUSTER = "kfood-cluster";
    public static final List<String> SERVICES = List.of("kfood-backend", "kfood-frontend");
    public static final String UPLOADS_BUCKET = "kfood-uploads";
    public static final String BACKUP_BUCKET = "kfood-backups";
    /** The stack's own state bucket (deduplication markers), as the template names it for stack kfood-ops. */
    public static final String STATE_BUCKET = "kfood-ops-state-" + ACCOUNT;
    /** The operations reports' bucket, as the template names it for stack kfood-ops. */
    public static final String REPORTS_BUCKET = "kfood-ops-reports-" + ACCOUNT;

    public static final String NOTIFICATIONS_TOPIC = "kfood-ops-notifications";
    public static final String ALARMS_TOPIC = "kfood-ops-alarms";
    /** The health check's database secret: the machine's own PostgreSQL, in RDS's secret shape. */
    public static final String DB_SECRET = "kfood-ops/demo-db";
    /** The snapshot prefix the template gives the local stack: SnapshotPrefix, then the Environment (dev). */
    public static final String SNAPSHOT_PREFIX = "kfood-ops-dev";
    /** The database care role's secret: the plan's schema in the machine's PostgreSQL (DemoDatabase). */
    public static final String CARE_SECRET = "kfood-ops/demo-care-db";
    /** The demo database with the plan's schema, an invalid index and dead rows. */
    public static final String CARE_DATABASE = "kfood_demo";
    /** The DB subnet group restore drills restore into (the emulator's default subnets). */
    public static final String DRILL_SUBNET_GROUP = "kfood-drill-subnets";
    /** The DR region the local stack copies to (samconfig's local DrRegion) and drills in. */
    public static final String DR_REGION = "ap-northeast-1";
    /** The DB subnet group the DR-region drill restores into, in {@link #DR_REGION}. */
    public static final String DR_DRILL_SUBNET_GROUP = "kfood-dr-drill-subnets";
    /** The drill's security group: the emulator does not check that it exists (samconfig's local parameters name it). */
    public static final String DRILL_SECURITY_GROUP = "sg-0d1e2f3a4b5c6d7e8";
    /** The CodeDeploy blue/green deployment of the backend that events/deploy/codedeploy-*.json are about. */
    public static final String CODEDEPLOY_DEPLOYMENT = "d-7Q3XK2M9B";
    /** The plan's autoscaling bounds for both services. */
    public static final int MIN_TASKS = 2;

    public static final int MAX_TASKS = 10;
    /** Where the services log (the plan ships the platform's logs under this group prefix). */
    public static final String LOG_GROUP_PREFIX = "/aws/kfood-shorts/";
    /** Two of the platform's alarms, as the template defines them for stack kfood-ops. */
    public static final String BACKEND_5XX_ALARM = "kfood-ops-backend-5xx";

    public static final String FRONTEND_CPU_ALARM = "kfood-ops-frontend-cpu-high";

    /** Days of daily snapshots in the seeded backup history (1 to 45 days old): past the 30-day retention. */
    public static final int HISTORY_DAYS = 45;

    private final RdsClient rds;
    private final EcsClient ecs;
    private final S3Client s3;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final SecretsManagerClient secrets;
    private final ApplicationAutoScalingClient autoScaling;
    private final CloudWatchClient cloudWatch;
    private final CloudWatchLogsClient logs;
    private final DemoTraffic traffic;
    private final Env env;

    public DemoPlatform(AwsClients aws) {
        this.env = aws.env();
        this.rds = aws.build(RdsClient.builder(), "RDS");
        this.ecs = aws.build(EcsClient.builder(), "ECS");
        this.s3 = aws.build(S3Client.builder().forcePathStyle(true), "S3");
        this.sns = aws.build(SnsClient.builder(), "SNS");
        this.sqs = aws.build(SqsClient.builder(), "SQS");
        this.secrets = aws.build(SecretsManagerClient.builder(), "SECRETS_MANAGER");
        this.autoScaling = aws.build(ApplicationAutoScalingClient.builder(), "APPLICATION_AUTO_SCALING");
        this.cloudWatch = aws.build(CloudWatchClient.builder(), "CLOUDWATCH");
        this.logs = aws.build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS");
        this.traffic = new DemoTraffic(aws);
    }

    /** The environment a client of the emulator at {@code endpoint} needs. */
    public static Env emulatorEnv(URI endpoint) {
        return Env.of(Map.of(
                "AWS_REGION",
                REGION,
                "AWS_ENDPOINT_URL",
                endpoint.toString(),
                "AWS_ACCESS_KEY_ID",
                "test",
                "AWS_SECRET_ACCESS_KEY",
                "test",
                "AWS_MAX_ATTEMPTS",
                "2"));
    }

    /**
     * Seeds the platform and its backup history ({@link #HISTORY_DAYS} daily snapshots, as production
     * holds them, so a prune judges and deletes) and the operations report's ({@link ReportHistory}) on
     * {@code emulator}, and returns the AWS variables
     * for the function processes the benchmark and the artifact check start: one attempt per call, as
     * moto answers some calls with 500 and a retry's back-off would only add noise.
     */
    public static Map<String, String> seededForFunctions(Emulator emulator) throws IOException {
        Map<String, String> aws = new HashMap<>(emulatorEnv(emulator.endpoint()).vars());
        aws.put("AWS_MAX_ATTEMPTS", "1");
        DemoPlatform platform = new DemoPlatform(new AwsClients(Env.of(aws)));
        // the platform's database has existed longer than its 30 days of automated backups reach
        emulator.setClockOffset(Duration.ofDays(-40));
        platform.seed();
        emulator.setClockOffset(Duration.ZERO);
        seedDatabase();
        platform.seedBackupHistory(ago -> emulator.setClockOffset(ago.negated()));
        // the operations report reads real history too: metrics, ERROR lines, cost and findings
        new ReportHistory(new AwsClients(Env.of(aws)), Instant.now()).seed();
        // the sample ALARM events' alarms as CloudWatch holds them when it sends them: confirmed
        platform.alarmsInAlarm();
        return aws;
    }

    public static String topicArn(String name) {
        return "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    public static String inboxName(String topic) {
        return topic + "-inbox";
    }

    /** The DR region's subnet group for the DR-region drill, made of that region's default subnets. */
    private void seedDrSubnetGroup() {
        Map<String, String> there = new HashMap<>(env.vars());
        there.put("AWS_REGION", DR_REGION);
        try (RdsClient dr = new AwsClients(Env.of(there)).build(RdsClient.builder(), "RDS")) {
            if (dr.describeDBSubnetGroups().dbSubnetGroups().stream()
                    .anyMatch(g -> g.dbSubnetGroupName().equals(DR_DRILL_SUBNET_GROUP))) {
                return;
            }
            List<String> subnets = DemoNetwork.defaultSubnets(Env.of(there));
            dr.createDBSubnetGroup(b -> b.dbSubnetGroupName(DR_DRILL_SUBNET_GROUP)
                    .dbSubnetGroupDescription("DR-region restore drills: private subnets only")
                    .subnetIds(subnets));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the emulator's subnets in " + DR_REGION + ": " + e.getMessage(), e);
        }
    }

    public void seed() {
        try {
            rds.describeDBInstances(b -> b.dbInstanceIdentifier(DB));
        } catch (DbInstanceNotFoundException e) {
            rds.createDBInstance(b -> b.dbInstanceIdentifier(DB)
                    .engine("postgres")
                    .engineVersion("15.4")
                    .dbInstanceClass("db.t3.medium")
                    .allocatedStorage(100)
                    .multiAZ(true)
                    .backupRetentionPeriod(30) // the plan's automated backups
                    .masterUsername("kfood")
                    .masterUserPassword("demo-only-password")
                    .tags(
                            t -> t.key("Project").value("kfood-shorts"),
                            t -> t.key("Environment").value("local")));
        }
        if (rds.describeDBSubnetGroups().dbSubnetGroups().stream()
                .noneMatch(g -> g.dbSubnetGroupName().equals(DRILL_SUBNET_GROUP))) {
            try {
                List<String> subnets = DemoNetwork.defaultSubnets(env);
                rds.createDBSubnetGroup(b -> b.dbSubnetGroupName(DRILL_SUBNET_GROUP)
                        .dbSubnetGroupDescription("restore drills: private subnets only")
                        .subnetIds(subnets));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the emulator's subnets: " + e.getMessage(), e);
            }
        }
        seedDrSubnetGroup();
        ecs.createCluster(b -> b.clusterName(CLUSTER));
        Map<String, String> targetGroups = traffic.ensure(SERVICES);
        var existing =
                ecs.describeServices(b -> b.cluster(CLUSTER).services(SERVICES)).services();
        for (String service : SERVICES) {
            boolean active =
                    existing.stream().anyMatch(s -> s.serviceName().equals(service) && "ACTIVE".equals(s.status()));
            if (!active) {
                String taskDefinition = ecs.registerTaskDefinition(b -> b.family(service)
                                .requiresCompatibilities(Compatibility.FARGATE)
                                .networkMode("awsvpc")
                                .cpu("512")
                                .memory("1024")
                                .containerDefinitions(c -> c.name(service)
                                        .essential(true)
                                        .image(ACCOUNT + ".dkr.ecr." + REGION + ".amazonaws.com/" + service
                                                + ":3f9c2ab")
                                        .logConfiguration(l -> l.logDriver("awslogs")
                                                .options(Map.of(
                                                        "awslogs-group",
                                                        LOG_GROUP_PREFIX + service,
                                                        "awslogs-region",
                                                        REGION,
                                                        "awslogs-stream-prefix",
                                                        "app")))))
                        .taskDefinition()
                        .taskDefinitionArn();
                ecs.createService(b -> b.cluster(CLUSTER)
                        .serviceName(service)
                        .taskDefinition(taskDefinition)
                        .desiredCount(MIN_TASKS)
                        .launchType(LaunchType.FARGATE)
                        .loadBalancers(l -> l.targetGroupArn(targetGroups.get(service))
                                .containerName(service)
                                .containerPort(8080)));
            }
            if (service.equals(SERVICES.getFirst())) {
                traffic.blueGreen(service, CODEDEPLOY_DEPLOYMENT, targetGroups.get(service));
            }
            scaleLikeThePlan(service);
            seedLogs(service);
        }
        seedAlarms();
        for (String bucket : List.of(UPLOADS_BUCKET, BACKUP_BUCKET, STATE_BUCKET, REPORTS_BUCKET)) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket)
                        .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.AP_NORTHEAST_2)));
            }
        }
        // the template's backup bucket is versioned (with Object Lock): each day's manifest names versions
        s3.putBucketVersioning(b -> b.bucket(BACKUP_BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        for (int i = 1; i <= 5; i++) {
            String key = "uploads/videos/bibimbap-" + i + ".mp4";
            s3.putObject(
                    b -> b.bucket(UPLOADS_BUCKET).key(key),
                    RequestBody.fromString("demo video " + i + " ".repeat(i * 100), StandardCharsets.UTF_8));
        }
        for (String topic : List.of(NOTIFICATIONS_TOPIC, ALARMS_TOPIC)) {
            subscribeInbox(topic);
        }
        if (secrets.listSecrets(b -> b.filters(f -> f.key("name").values(DB_SECRET)))
                .secretList()
                .isEmpty()) {
            secrets.createSecret(b -> b.name(DB_SECRET)
                    .secretString("{\"engine\":\"postgres\",\"host\":\"127.0.0.1\",\"port\":5432,"
                            + "\"username\":\"postgres\",\"password\":\"demo-only\",\"dbname\":\"postgres\"}"));
        }
        if (secrets.listSecrets(b -> b.filters(f -> f.key("name").values(CARE_SECRET)))
                .secretList()
                .isEmpty()) {
            secrets.createSecret(b -> b.name(CARE_SECRET)
                    .secretString("{\"engine\":\"postgres\",\"host\":\"127.0.0.1\",\"port\":5432,\"username\":\""
                            + DemoDatabase.CARE_ROLE + "\",\"password\":\"demo-only\",\"dbname\":\"" + CARE_DATABASE
                            + "\"}"));
        }
    }

    /** Target tracking on CPU at 75 %, between the plan's bounds (the emulator stores it; nothing scales). */
    private void scaleLikeThePlan(String service) {
        String resourceId = "service/" + CLUSTER + "/" + service;
        boolean registered = !autoScaling
                .describeScalableTargets(
                        b -> b.serviceNamespace(ServiceNamespace.ECS).resourceIds(resourceId))
                .scalableTargets()
                .isEmpty();
        if (registered) {
            return;
        }
        autoScaling.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                .resourceId(resourceId)
                .minCapacity(MIN_TASKS)
                .maxCapacity(MAX_TASKS));
        autoScaling.putScalingPolicy(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                .resourceId(resourceId)
                .policyName(service + "-cpu-75")
                .policyType(PolicyType.TARGET_TRACKING_SCALING)
                .targetTrackingScalingPolicyConfiguration(c -> c.targetValue(75.0)
                        .predefinedMetricSpecification(
                                m -> m.predefinedMetricType(MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION))));
    }

    /**
     * The service's log group with a few minutes of what a failing backend writes: ERROR lines that
     * carry the ids, e-mail addresses and tokens no notification may repeat.
     */
    private void seedLogs(String service) {
        String group = LOG_GROUP_PREFIX + service;
        if (!logs.describeLogGroups(b -> b.logGroupNamePrefix(group))
                .logGroups()
                .isEmpty()) {
            return;
        }
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("app/" + service + "/1"));
        Instant now = Instant.now();
        List<String> lines = List.of(
                "INFO GET /api/videos 200 41ms",
                "ERROR GET /api/videos/81234 500: connection to redis://10.0.3.17:6379 refused after 3 tries",
                "ERROR POST /api/uploads 500 user=minji.kim@example.com session=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                "WARN slow query 1840ms on videos",
                "ERROR GET /api/feed 500: timeout after 5000ms (request 4b1c2d3e-5f60-4718-a9b0-c1d2e3f4a5b6)",
                "ERROR POST /api/login 500: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl");
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            events.add(InputLogEvent.builder()
                    .timestamp(now.minusSeconds(60L * (lines.size() - i)).toEpochMilli())
                    .message(lines.get(i))
                    .build());
        }
        logs.putLogEvents(b ->
                b.logGroupName(group).logStreamName("app/" + service + "/1").logEvents(events));
    }

    /** Both seeded alarms in ALARM, as when CloudWatch sends the sample events' ALARM messages. */
    void alarmsInAlarm() {
        for (String alarm : List.of(BACKEND_5XX_ALARM, FRONTEND_CPU_ALARM)) {
            cloudWatch.setAlarmState(
                    b -> b.alarmName(alarm).stateValue(StateValue.ALARM).stateReason("the sample event's alarm"));
        }
    }

    /** The backend's 5xx alarm and the frontend's CPU alarm, sending to the alarms topic as the template's do. */
    private void seedAlarms() {
        String topic = topicArn(ALARMS_TOPIC);
        cloudWatch.putMetricAlarm(b -> b.alarmName(BACKEND_5XX_ALARM)
                .alarmDescription("Backend 5xx responses above the threshold")
                .namespace("AWS/ApplicationELB")
                .metricName("HTTPCode_Target_5XX_Count")
                .dimensions(d -> d.name("TargetGroup").value("targetgroup/kfood-backend/6d0ecf831eec9f09"))
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(3)
                .threshold(50.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .alarmActions(topic)
                .okActions(topic));
        cloudWatch.putMetricAlarm(b -> b.alarmName(FRONTEND_CPU_ALARM)
                .alarmDescription("Frontend CPU above 85 % for 5 minutes: target tracking is not keeping up")
                .namespace("AWS/ECS")
                .metricName("CPUUtilization")
                .dimensions(
                        d -> d.name("ClusterName").value(CLUSTER),
                        d -> d.name("ServiceName").value("kfood-frontend"))
                .statistic(Statistic.AVERAGE)
                .period(60)
                .evaluationPeriods(5)
                .threshold(85.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .alarmActions(topic)
                .okActions(topic));
    }

    /**
     * The plan's schema in the machine's PostgreSQL for DatabaseCareFunction, made anew (this month's
     * partition only, an invalid index, dead rows). Without a PostgreSQL on 127.0.0.1 it says so and
     * the care function will report the database unreachable.
     */
    public static void seedDatabase() {
        try {
            DemoDatabase.recreate(CARE_DATABASE, true);
            DemoDatabase.pastMonths(CARE_DATABASE, Instant.now(), 14);
        } catch (SQLException e) {
            System.err.println(
                    "ops: no demo database for DatabaseCareFunction (PostgreSQL on 127.0.0.1:5432): " + e.getMessage());
        }
    }

    /**
     * One upload above the local multipart threshold (samconfig's {@code MultipartCopyThresholdMiB=10}):
     * the backup copies it in parts, as it would a video over 5 GiB on AWS. For the demo and the
     * artifact and IAM checks; the benchmark leaves it out (its peers copy in one call).
     */
    public void seedLongUpload() {
        byte[] video = new byte[11 * 1024 * 1024];
        new Random(11).nextBytes(video);
        s3.putObject(
                b -> b.bucket(UPLOADS_BUCKET)
                        .key("uploads/videos/long-take.mp4")
                        .contentType("video/mp4")
                        .tagging("kind=long-take"),
                RequestBody.fromBytes(video));
    }

    /** The uploads a day later: one video re-encoded, one taken down, one new (for the demo's second backup day). */
    public void changeUploads() {
        s3.putObject(
                b -> b.bucket(UPLOADS_BUCKET).key("uploads/videos/bibimbap-1.mp4"),
                RequestBody.fromString("demo video 1, re-encoded", StandardCharsets.UTF_8));
        s3.deleteObject(b -> b.bucket(UPLOADS_BUCKET).key("uploads/videos/bibimbap-2.mp4"));
        s3.putObject(
                b -> b.bucket(UPLOADS_BUCKET).key("uploads/videos/tteokbokki-1.mp4"),
                RequestBody.fromString("demo video 6", StandardCharsets.UTF_8));
    }

    /** Moves the emulator's RDS clock back by the given age (and forward again with zero). */
    @FunctionalInterface
    public interface RdsClock {
        void setAgo(Duration ago) throws IOException;
    }

    /**
     * A month and a half of daily snapshots as SnapshotFunction would have left them, so a prune has
     * something to do; only on a database that has no managed snapshot yet. Returns how many.
     */
    public int seedBackupHistory(RdsClock clock) throws IOException {
        boolean hasHistory =
                rds.describeDBSnapshots(b -> b.dbInstanceIdentifier(DB).snapshotType("manual")).dbSnapshots().stream()
                        .anyMatch(
                                s -> s.tagList().stream().anyMatch(t -> t.key().equals("ManagedBy")));
        if (hasHistory) {
            return 0;
        }
        // at 17:00, an hour off the sample schedule events' 18:00, so the demo's snapshot run creates its own
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(17));
        int created = 0;
        try {
            for (int days = HISTORY_DAYS; days >= 1; days--) {
                Instant at = today.minus(Duration.ofDays(days));
                String id = SNAPSHOT_PREFIX + "-" + DB + "-"
                        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")
                                .withZone(ZoneOffset.UTC)
                                .format(at);
                clock.setAgo(Duration.between(at, Instant.now()));
                rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB)
                        .dbSnapshotIdentifier(id)
                        .tags(
                                t -> t.key("ManagedBy").value("kfood-ops"),
                                t -> t.key("kfood-ops:RetentionDays").value("30"),
                                t -> t.key("kfood-ops:CreatedBy").value("SnapshotFunction")));
                created++;
            }
            // and one that is not ours: a person's snapshot before an upgrade, which no prune may touch
            clock.setAgo(Duration.ofDays(60));
            rds.createDBSnapshot(b -> b.dbInstanceIdentifier(DB).dbSnapshotIdentifier("before-pg16-upgrade"));
        } finally {
            clock.setAgo(Duration.ZERO);
        }
        return created;
    }

    /** Creates the topic and an SQS queue subscribed to it; returns the queue URL. */
    public String subscribeInbox(String topic) {
        String topicArn = sns.createTopic(b -> b.name(topic)).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName(inboxName(topic))).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        boolean subscribed = sns.listSubscriptionsByTopic(b -> b.topicArn(topicArn)).subscriptions().stream()
                .anyMatch(s -> s.endpoint().equals(queueArn));
        if (!subscribed) {
            sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
        }
        return queueUrl;
    }
}
