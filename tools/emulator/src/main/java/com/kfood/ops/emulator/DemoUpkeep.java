package com.kfood.ops.emulator;

import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ScanType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What the weekly "security updates" and the daily "logs alive" read, as the demo platform holds
 * it: the services' images in ECR with Amazon Inspector's findings (moto's static scan results, set
 * through its own API: the backend's with two CRITICAL, the frontend's scanned 10 days ago), the
 * secrets in three rotation states, a worker's log group silent for 3 days and a nightly batch's
 * quiet one (20 hours, within its 48-hour override), and this stack's report function (runtime
 * java25). ElastiCache's DescribeUpdateActions is not in the emulator: the report says so.
 */
public final class DemoUpkeep {
    public static final String IMAGE_TAG = "3f9c2ab";
    public static final String REDIS_SECRET = "kfood-ops/demo-redis-auth";
    public static final String SILENT_GROUP = DemoPlatform.LOG_GROUP_PREFIX + "kfood-worker";
    public static final String QUIET_GROUP = DemoPlatform.LOG_GROUP_PREFIX + "nightly-batch";
    /** The quiet group's own allowance (LOG_SILENCE_OVERRIDES). */
    public static final String QUIET_OVERRIDE = QUIET_GROUP + "=48h";

    public static final Duration SILENT_FOR = Duration.ofDays(3);
    public static final Duration QUIET_FOR = Duration.ofHours(20);
    public static final Duration FRONTEND_SCANNED = Duration.ofDays(10);
    public static final Duration OLDEST_CRITICAL = Duration.ofDays(12);
    /** The report function's name as Lambda (and the local runtime) sets it: {@code <stack>-ops-report}. */
    public static final String REPORT_FUNCTION = "kfood-ops-ops-report";

    private final AwsClients aws;
    private final URI endpoint;
    private final Instant now;

    public DemoUpkeep(AwsClients aws, Instant now) {
        this.aws = aws;
        this.endpoint = aws.endpoint("ECR").orElseThrow(() -> new IllegalStateException("no emulator endpoint"));
        this.now = now;
    }

    /** The platform's secrets as the report's PLATFORM_SECRET_ARNS names them. */
    public static String secretIds() {
        return String.join(",", DemoPlatform.DB_SECRET, DemoPlatform.CARE_SECRET, REDIS_SECRET);
    }

    public void seed() {
        if (!aws.build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS")
                .describeLogGroups(b -> b.logGroupNamePrefix(SILENT_GROUP))
                .logGroups()
                .isEmpty()) {
            return; // seeded already
        }
        images();
        secrets();
        logs();
        function();
    }

    private void images() {
        EcrClient ecr = aws.build(EcrClient.builder(), "ECR");
        ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED)
                .rules(r -> r.scanFrequency("CONTINUOUS_SCAN")
                        .repositoryFilters(f -> f.filter("kfood-*").filterType("WILDCARD"))));
        List<Map<String, Object>> results = new ArrayList<>();
        for (String service : DemoPlatform.SERVICES) {
            ecr.createRepository(b -> b.repositoryName(service));
            ecr.putImage(b -> b.repositoryName(service).imageTag(IMAGE_TAG).imageManifest(manifest(service)));
            // moto answers a scan only for an image scanned once
            ecr.startImageScan(b -> b.repositoryName(service).imageId(i -> i.imageTag(IMAGE_TAG)));
            boolean backend = service.equals(DemoPlatform.SERVICES.getFirst());
            results.add(backend ? criticalScan(service) : staleScan(service));
        }
        post(
                "/moto-api/static/ecr/scan-finding-results",
                Json.write(Map.of("results", results, "region", DemoPlatform.REGION)));
    }

    private static String manifest(String service) {
        return Json.write(Map.of(
                "schemaVersion",
                2,
                "mediaType",
                "application/vnd.docker.distribution.manifest.v2+json",
                "config",
                Map.of("digest", "sha256:" + "0".repeat(63) + service.length(), "size", 1470),
                "layers",
                List.of()));
    }

    private Map<String, Object> criticalScan(String service) {
        return scan(
                service,
                Map.of("status", "ACTIVE", "description", "Continuous scan is selected for image."),
                Duration.ofHours(3),
                Map.of("CRITICAL", 2, "HIGH", 3, "MEDIUM", 5),
                List.of(
                        enhanced("CVE-2026-31337", "CRITICAL", OLDEST_CRITICAL),
                        enhanced("CVE-2026-40404", "CRITICAL", Duration.ofDays(2)),
                        enhanced("CVE-2026-22222", "HIGH", Duration.ofDays(30))));
    }

    private Map<String, Object> staleScan(String service) {
        return scan(
                service,
                Map.of("status", "COMPLETE", "description", "The scan was completed successfully."),
                FRONTEND_SCANNED,
                Map.of("HIGH", 1, "MEDIUM", 2),
                List.of(enhanced("CVE-2026-11111", "HIGH", Duration.ofDays(40))));
    }

    /** One image's answer, in DescribeImageScanFindings' shape (timestamps in epoch seconds, as its JSON). */
    private Map<String, Object> scan(
            String service,
            Map<String, String> status,
            Duration scannedAgo,
            Map<String, Integer> counts,
            List<Map<String, Object>> findings) {
        return Map.of(
                "repositoryName",
                service,
                "imageId",
                Map.of("imageTag", IMAGE_TAG),
                "imageScanStatus",
                status,
                "imageScanFindings",
                Map.of(
                        "imageScanCompletedAt", seconds(now.minus(scannedAgo)),
                        "findingSeverityCounts", counts,
                        "enhancedFindings", findings));
    }

    private Map<String, Object> enhanced(String cve, String severity, Duration open) {
        return Map.of(
                "severity",
                severity,
                "status",
                "ACTIVE",
                "title",
                cve + " - openssl",
                "firstObservedAt",
                seconds(now.minus(open)),
                "packageVulnerabilityDetails",
                Map.of("vulnerabilityId", cve, "source", "NVD"));
    }

    private static double seconds(Instant t) {
        return t.getEpochSecond();
    }

    /**
     * The database secret never rotated (as the demo created it), the care role's rotated today, the
     * Redis AUTH token's rotation left half-done: a version still AWSPENDING. Not rotated at once:
     * without a rotation function moto would make a current version without a value, and the care
     * function reads that secret.
     */
    private void secrets() {
        SecretsManagerClient secrets = aws.build(SecretsManagerClient.builder(), "SECRETS_MANAGER");
        secrets.rotateSecret(b -> b.secretId(DemoPlatform.CARE_SECRET)
                .rotationRules(r -> r.automaticallyAfterDays(30L))
                .rotateImmediately(false));
        secrets.createSecret(b -> b.name(REDIS_SECRET).secretString("demo-only-redis-token"));
        secrets.rotateSecret(b -> b.secretId(REDIS_SECRET)
                .rotationRules(r -> r.automaticallyAfterDays(30L))
                .rotateImmediately(false));
        secrets.putSecretValue(b ->
                b.secretId(REDIS_SECRET).secretString("demo-only-next-token").versionStages("AWSPENDING"));
    }

    private void logs() {
        CloudWatchLogsClient logs = aws.build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS");
        for (var group :
                Map.of(SILENT_GROUP, SILENT_FOR, QUIET_GROUP, QUIET_FOR).entrySet()) {
            logs.createLogGroup(b -> b.logGroupName(group.getKey()));
            logs.createLogStream(b -> b.logGroupName(group.getKey()).logStreamName("app/1"));
            Instant last = now.minus(group.getValue());
            logs.putLogEvents(b -> b.logGroupName(group.getKey())
                    .logStreamName("app/1")
                    .logEvents(
                            InputLogEvent.builder()
                                    .timestamp(last.minusSeconds(60).toEpochMilli())
                                    .message("INFO started")
                                    .build(),
                            InputLogEvent.builder()
                                    .timestamp(last.toEpochMilli())
                                    .message("INFO done")
                                    .build()));
        }
    }

    /** The report function itself, so its runtime is read as in AWS (the emulator needs its role). */
    private void function() {
        IamClient iam = aws.build(IamClient.builder(), "IAM", software.amazon.awssdk.regions.Region.AWS_GLOBAL);
        String role = iam.createRole(
                        b -> b.roleName("kfood-ops-demo-report-role")
                                .assumeRolePolicyDocument(
                                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                                + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                .role()
                .arn();
        aws.build(LambdaClient.builder(), "LAMBDA")
                .createFunction(b -> b.functionName(REPORT_FUNCTION)
                        .runtime(Runtime.JAVA25)
                        .role(role)
                        .handler("com.kfood.ops.report.OpsReportHandler::handleRequest")
                        .code(c -> c.zipFile(SdkBytes.fromByteArray(emptyZip()))));
    }

    private static byte[] emptyZip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("README"));
            zip.write("the demo's stand-in: never invoked".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void post(String path, String body) {
        MotoApi.post(endpoint, path, body);
    }
}
