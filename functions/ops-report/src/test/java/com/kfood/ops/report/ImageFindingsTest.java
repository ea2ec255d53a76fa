package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.EnhancedImageScanFinding;
import software.amazon.awssdk.services.ecr.model.ImageScanFinding;
import software.amazon.awssdk.services.ecr.model.ScanNotFoundException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Images judged by what their scans say, and never as clean when a scan is missing or old. */
class ImageFindingsTest {
    static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
    static final String REGISTRY = "123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/";
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    private final FakeUpkeep upkeep = new FakeUpkeep();
    private final UpkeepLimits limits =
            Fakes.config("IMAGE_HIGH_FINDINGS_MAX", "3").upkeep();
    private final ImageFindings findings = new ImageFindings(upkeep, limits, NOW);

    static ServiceRun running(String service, String image, String digest) {
        return new ServiceRun(
                Service.builder()
                        .serviceName(service)
                        .taskDefinition("arn:aws:ecs:ap-northeast-2:123456789012:task-definition/" + service + ":7")
                        .build(),
                List.of(Task.builder()
                        .containers(Container.builder()
                                .image(image)
                                .imageDigest(digest)
                                .build())
                        .build()));
    }

    static DescribeImageScanFindingsResponse scan(Instant completed, Map<String, Integer> counts, String... ids) {
        return DescribeImageScanFindingsResponse.builder()
                .imageScanStatus(s -> s.status("COMPLETE"))
                .imageScanFindings(f -> f.imageScanCompletedAt(completed)
                        .findingSeverityCountsWithStrings(counts)
                        .findings(List.of(ids).stream()
                                .map(id -> ImageScanFinding.builder()
                                        .name(id)
                                        .severity("HIGH")
                                        .build())
                                .toList()))
                .build();
    }

    private Item only(ServiceRun run) {
        List<ImageFindings.Image> images = findings.images(run);
        assertThat(images).hasSize(1);
        return findings.item(images.getFirst(), findings.engine());
    }

    @Test
    void criticalFindingsFromInspectorActWithTheOldestOnesAge() {
        upkeep.scanType = () -> "ENHANCED";
        upkeep.scans.put(
                "kfood-backend@" + DIGEST,
                () -> DescribeImageScanFindingsResponse.builder()
                        .imageScanStatus(s -> s.status("ACTIVE"))
                        .imageScanFindings(f -> f.imageScanCompletedAt(NOW.minus(Duration.ofHours(5)))
                                .findingSeverityCountsWithStrings(Map.of("CRITICAL", 2, "HIGH", 1, "MEDIUM", 4))
                                .enhancedFindings(
                                        critical("CVE-2026-1111", NOW.minus(Duration.ofDays(12))),
                                        critical("CVE-2026-2222", NOW.minus(Duration.ofDays(3)))))
                        .build());

        Item item = only(running("kfood-backend", REGISTRY + "kfood-backend:3f9c2ab", DIGEST));

        assertThat(item.verdict()).isEqualTo(Verdict.ACT);
        assertThat(item.label()).isEqualTo("image kfood-backend: kfood-backend:3f9c2ab (sha256:abababababab)");
        assertThat(item.value()).isEqualTo("2 critical, 1 high, 4 medium; oldest critical open 12 days; scanned today");
        assertThat(item.note()).isEqualTo("Amazon Inspector");
        assertThat(item.numbers().get("criticalHighIds").asText()).isEqualTo("CVE-2026-1111,CVE-2026-2222");
        assertThat(upkeep.calls).contains("imageScan kfood-backend@" + DIGEST);
    }

    private static EnhancedImageScanFinding critical(String id, Instant first) {
        return EnhancedImageScanFinding.builder()
                .severity("CRITICAL")
                .status("ACTIVE")
                .firstObservedAt(first)
                .packageVulnerabilityDetails(p -> p.vulnerabilityId(id))
                .build();
    }

    @Test
    void anImageNeverScannedIsSaidAsSuchNotAsClean() {
        upkeep.scans.put("kfood-frontend@" + DIGEST, () -> {
            throw ScanNotFoundException.builder().message("no scan").build();
        });

        Item item = only(running("kfood-frontend", REGISTRY + "kfood-frontend:9d1e0aa", DIGEST));

        assertThat(item.verdict()).isEqualTo(Verdict.WATCH);
        assertThat(item.value()).isEqualTo("never scanned: its findings are unknown, not none");
        assertThat(item.numbers().has("criticalHighIds")).isFalse();
    }

    @Test
    void aScanTenDaysOldIsStaleEvenWithNoFindings() {
        upkeep.scans.put("kfood-frontend@" + DIGEST, () -> scan(NOW.minus(Duration.ofDays(10)), Map.of()));

        Item item = only(running("kfood-frontend", REGISTRY + "kfood-frontend:9d1e0aa", DIGEST));

        assertThat(item.verdict()).isEqualTo(Verdict.WATCH);
        assertThat(item.value())
                .isEqualTo("0 critical, 0 high, 0 medium; scanned 10 days ago: stale, not a clean bill");
    }

    @Test
    void aFreshScanWithHighFindingsUpToTheLimitIsOkAndOneMoreIsWatch() {
        upkeep.scans.put("kfood-frontend@" + DIGEST, () -> scan(NOW.minus(Duration.ofDays(6)), Map.of("HIGH", 3)));
        assertThat(only(running("kfood-frontend", REGISTRY + "kfood-frontend:1", DIGEST))
                        .verdict())
                .isEqualTo(Verdict.OK);

        upkeep.scans.put("kfood-frontend@" + DIGEST, () -> scan(NOW.minus(Duration.ofDays(6)), Map.of("HIGH", 4)));
        assertThat(only(running("kfood-frontend", REGISTRY + "kfood-frontend:1", DIGEST))
                        .verdict())
                .isEqualTo(Verdict.WATCH);
    }

    @Test
    void inspectorUnavailableFallsBackToEcrsBasicScanAndSaysSo() {
        upkeep.scanType = () -> {
            throw EcrException.builder()
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("AccessDeniedException")
                            .serviceName("Ecr")
                            .build())
                    .build();
        };
        assertThat(findings.engine())
                .isEqualTo(
                        "ECR basic scan (the registry's scan type is unreadable: Ecr answered AccessDeniedException)");

        upkeep.scanType = () -> "BASIC";
        assertThat(findings.engine()).isEqualTo("ECR basic scan (Amazon Inspector is not enabled for this registry)");
    }

    @Test
    void withoutRunningTasksTheTaskDefinitionsImagesAreReadByTag() {
        ServiceRun idle = new ServiceRun(
                Service.builder()
                        .serviceName("kfood-backend")
                        .taskDefinition("td-7")
                        .build(),
                List.of());
        upkeep.taskDefinitions.put(
                "td-7",
                TaskDefinition.builder()
                        .containerDefinitions(
                                ContainerDefinition.builder()
                                        .image(REGISTRY + "kfood-backend:3f9c2ab")
                                        .build(),
                                ContainerDefinition.builder()
                                        .image("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable")
                                        .build())
                        .build());
        upkeep.scans.put("kfood-backend:3f9c2ab", () -> scan(NOW, Map.of("HIGH", 1), "CVE-2026-0001"));

        List<ImageFindings.Image> images = findings.images(idle);

        assertThat(images).extracting(ImageFindings.Image::digest).containsOnly(Optional.empty());
        assertThat(findings.item(images.get(0), "x").value()).startsWith("0 critical, 1 high");
        Item sidecar = findings.item(images.get(1), "x");
        assertThat(sidecar.verdict()).isEqualTo(Verdict.WATCH);
        assertThat(sidecar.value()).startsWith("not scanned here: not in this region's ECR");
    }

    @Test
    void theMonthsTrendCountsOpenedAndFixedByFindingId() {
        Item before = Item.of("image kfood-backend: a", "", Verdict.OK)
                .number("service", "kfood-backend")
                .number("criticalHighIds", "CVE-1,CVE-2,CVE-3");
        Item now = Item.of("image kfood-backend: b", "", Verdict.OK)
                .number("service", "kfood-backend")
                .number("criticalHighIds", "CVE-3,CVE-4");
        Item unscanned = Item.of("image kfood-frontend: c", "never scanned", Verdict.WATCH)
                .number("service", "kfood-frontend");
        PreviousReport previous =
                PreviousReportTest.previous(ReportKind.MONTHLY, Map.of("maintenance", List.of(before, unscanned)));

        List<Item> trend = ImageFindings.trend(List.of(now, unscanned), previous);

        assertThat(trend)
                .extracting(Item::label)
                .containsExactly("findings trend kfood-backend", "findings trend kfood-frontend");
        assertThat(trend.get(0).value()).isEqualTo("1 opened, 2 fixed (critical and high)");
        assertThat(trend.get(0).trend()).isEqualTo("against the monthly report of 2026-10-01");
        assertThat(trend.get(1).value()).startsWith("not measured: ");
    }
}
