package com.kfood.ops.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ecr.model.DescribeImageScanFindingsResponse;
import software.amazon.awssdk.services.ecr.model.EnhancedImageScanFinding;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageScanFinding;
import software.amazon.awssdk.services.ecr.model.ImageScanFindings;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.ScanNotFoundException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * The images the services run (by digest where ECS reports it, else as the task definition names
 * them) and what their scans found: Amazon Inspector's findings where the registry's scanning is
 * enhanced (ECR returns them), ECR's basic scan otherwise, and says which. An image never scanned,
 * or scanned over a week ago, is said as such, never as clean.
 */
final class ImageFindings {
    static final Duration STALE = Duration.ofDays(7);
    /** The finding ids kept per image for next month's trend: enough for any image worth running. */
    static final int IDS_KEPT = 200;

    private static final Pattern ECR =
            Pattern.compile("([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([a-z0-9._/-]+)"
                    + "(?::([A-Za-z0-9_.-]{1,128}))?(?:@(sha256:[0-9a-f]{64}))?");

    /** One image a service runs. */
    record Image(String service, String image, Optional<String> digest) {
        String shortName() {
            String name = image.substring(image.lastIndexOf('/') + 1);
            String at = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;
            return digest.map(d -> at + " (" + d.substring(0, Math.min(d.length(), 19)) + ")")
                    .orElse(at);
        }
    }

    private final UpkeepReads upkeep;
    private final UpkeepLimits limits;
    private final Instant now;

    ImageFindings(UpkeepReads upkeep, UpkeepLimits limits, Instant now) {
        this.upkeep = upkeep;
        this.limits = limits;
        this.now = now;
    }

    /** The distinct images of the service's running tasks, or of its task definition when none runs. */
    List<Image> images(ServiceRun run) {
        Map<String, Image> out = new LinkedHashMap<>();
        for (Task task : run.tasks()) {
            for (Container c : task.containers()) {
                if (c.image() != null) {
                    Image image = new Image(run.name(), c.image(), Optional.ofNullable(c.imageDigest()));
                    out.putIfAbsent(image.image() + image.digest().orElse(""), image);
                }
            }
        }
        if (out.isEmpty() && run.service().taskDefinition() != null) {
            upkeep.taskDefinition(run.service().taskDefinition()).containerDefinitions().stream()
                    .filter(c -> c.image() != null)
                    .forEach(c -> out.putIfAbsent(c.image(), new Image(run.name(), c.image(), Optional.empty())));
        }
        return List.copyOf(out.values());
    }

    /** Which engine's findings these are: Inspector's when the registry's scanning is enhanced. */
    String engine() {
        try {
            return "ENHANCED".equals(upkeep.registryScanType())
                    ? "Amazon Inspector"
                    : "ECR basic scan (Amazon Inspector is not enabled for this registry)";
        } catch (RuntimeException e) {
            return "ECR basic scan (the registry's scan type is unreadable: " + Problems.describe(e) + ")";
        }
    }

    /** The image's line: its counts, oldest open CRITICAL, when it was scanned and the verdict. */
    Item item(Image image, String engine) {
        String label = "image " + image.service() + ": " + image.shortName();
        Matcher m = ECR.matcher(image.image());
        if (!m.matches() || !m.group(2).equals(limits.region())) {
            return Item.of(label, "not scanned here: not in this region's ECR (" + image.image() + ")", Verdict.WATCH)
                    .number("service", image.service());
        }
        ImageIdentifier id = image.digest()
                .or(() -> Optional.ofNullable(m.group(5)))
                .map(d -> ImageIdentifier.builder().imageDigest(d).build())
                .orElseGet(() -> ImageIdentifier.builder()
                        .imageTag(m.group(4) == null ? "latest" : m.group(4))
                        .build());
        try {
            return scanned(label, image.service(), upkeep.imageScan(m.group(1), m.group(3), id), engine);
        } catch (ScanNotFoundException e) {
            return Item.of(label, "never scanned: its findings are unknown, not none", Verdict.WATCH)
                    .number("service", image.service());
        } catch (ImageNotFoundException | RepositoryNotFoundException e) {
            return Item.of(label, "not found in ECR (deleted since it started?): not scanned", Verdict.WATCH)
                    .number("service", image.service());
        } catch (RuntimeException e) {
            return Item.unavailable(label, Problems.describe(e)).number("service", image.service());
        }
    }

    private Item scanned(String label, String service, DescribeImageScanFindingsResponse scan, String engine) {
        String status =
                scan.imageScanStatus() == null ? "" : scan.imageScanStatus().statusAsString();
        ImageScanFindings findings = scan.imageScanFindings();
        if (findings == null || !(status.equals("COMPLETE") || status.equals("ACTIVE"))) {
            return Item.of(
                            label,
                            "scan " + status.toLowerCase(Locale.ROOT) + ": its findings are unknown",
                            Verdict.WATCH)
                    .number("service", service);
        }
        Map<String, Integer> counts = findings.findingSeverityCountsAsStrings();
        int critical = counts.getOrDefault("CRITICAL", 0);
        int high = counts.getOrDefault("HIGH", 0);
        int medium = counts.getOrDefault("MEDIUM", 0);
        Optional<Instant> scannedAt = Optional.ofNullable(findings.imageScanCompletedAt())
                .or(() -> Optional.ofNullable(findings.vulnerabilitySourceUpdatedAt()));
        long scanDays = scannedAt.map(t -> Duration.between(t, now).toDays()).orElse(-1L);
        boolean stale = scannedAt
                .map(t -> Duration.between(t, now).compareTo(STALE) > 0)
                .orElse(true);
        Optional<Instant> oldestCritical = findings.enhancedFindings().stream()
                .filter(f -> "CRITICAL".equals(f.severity()) && !"CLOSED".equals(f.status()))
                .map(EnhancedImageScanFinding::firstObservedAt)
                .filter(t -> t != null)
                .min(Instant::compareTo);
        StringBuilder value = new StringBuilder()
                .append(critical)
                .append(" critical, ")
                .append(high)
                .append(" high, ")
                .append(medium)
                .append(" medium");
        if (critical > 0) {
            value.append("; oldest critical open ")
                    .append(oldestCritical
                            .map(t -> Duration.between(t, now).toDays() + " days")
                            .orElse("(age not dated by ECR's basic scan)"));
        }
        value.append(scannedAt
                .map(t -> stale
                        ? "; scanned " + scanDays + " days ago: stale, not a clean bill"
                        : "; scanned " + (scanDays == 0 ? "today" : scanDays + " day(s) ago"))
                .orElse("; scan date not given"));
        Verdict v = critical > 0 ? Verdict.ACT : high > limits.highFindingsMax() || stale ? Verdict.WATCH : Verdict.OK;
        return new Item(label, value.toString(), "", v, engine, null)
                .number("service", service)
                .number("critical", critical)
                .number("high", high)
                .number("medium", medium)
                .number("scanAgeDays", scanDays)
                .number("criticalHighIds", String.join(",", ids(findings)));
    }

    /** The CRITICAL and HIGH findings' ids (CVE numbers mostly), sorted, at most {@link #IDS_KEPT}. */
    private static Set<String> ids(ImageScanFindings findings) {
        Set<String> ids = new TreeSet<>();
        for (ImageScanFinding f : findings.findings()) {
            if (serious(f.severityAsString()) && f.name() != null) {
                ids.add(f.name());
            }
        }
        for (EnhancedImageScanFinding f : findings.enhancedFindings()) {
            if (serious(f.severity()) && !"CLOSED".equals(f.status())) {
                String id = f.packageVulnerabilityDetails() != null
                                && f.packageVulnerabilityDetails().vulnerabilityId() != null
                        ? f.packageVulnerabilityDetails().vulnerabilityId()
                        : f.title();
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        Set<String> kept = new LinkedHashSet<>();
        ids.stream().limit(IDS_KEPT).forEach(kept::add);
        return kept;
    }

    private static boolean serious(String severity) {
        return "CRITICAL".equals(severity) || "HIGH".equals(severity);
    }

    /**
     * The month's trend per service: CRITICAL and HIGH findings opened and fixed against the
     * previous monthly report's images (by finding id, so an image rebuilt on a patched base counts
     * its fixes).
     */
    static List<Item> trend(List<Item> images, PreviousReport previous) {
        Map<String, Optional<Set<String>>> nowIds = idsByService(images);
        Optional<Map<String, Optional<Set<String>>>> before =
                previous.items("maintenance").map(ImageFindings::idsByService);
        List<Item> out = new ArrayList<>();
        for (var e : nowIds.entrySet()) {
            String label = "findings trend " + e.getKey();
            Optional<Set<String>> was = before.flatMap(b -> b.getOrDefault(e.getKey(), Optional.empty()));
            if (e.getValue().isEmpty() || was.isEmpty()) {
                String why = before.isEmpty()
                        ? previous.missing()
                        : e.getValue().isEmpty()
                                ? "an image of the service has no scan findings now"
                                : previous.name() + " has no scanned image of the service";
                out.add(Item.of(label, "not measured: " + why, Verdict.OK));
                continue;
            }
            Set<String> opened = new TreeSet<>(e.getValue().get());
            opened.removeAll(was.get());
            Set<String> fixed = new TreeSet<>(was.get());
            fixed.removeAll(e.getValue().get());
            out.add(new Item(
                            label,
                            opened.size() + " opened, " + fixed.size() + " fixed (critical and high)",
                            "against " + previous.name(),
                            Verdict.OK,
                            opened.isEmpty()
                                    ? ""
                                    : "opened: "
                                            + String.join(
                                                    ", ",
                                                    opened.stream().limit(5).toList()),
                            null)
                    .number("opened", opened.size())
                    .number("fixed", fixed.size()));
        }
        return out;
    }

    /** Each service's CRITICAL and HIGH ids over its images; empty when one of its images has none read. */
    private static Map<String, Optional<Set<String>>> idsByService(List<Item> items) {
        Map<String, Optional<Set<String>>> out = new LinkedHashMap<>();
        for (Item i : items) {
            var service = i.numbers().get("service");
            if (service == null || !i.label().startsWith("image ")) {
                continue;
            }
            var ids = i.numbers().get("criticalHighIds");
            Optional<Set<String>> known = out.computeIfAbsent(service.asText(), k -> Optional.of(new TreeSet<>()));
            if (ids == null) {
                out.put(service.asText(), Optional.empty());
            } else if (known.isPresent() && !ids.asText().isEmpty()) {
                known.get().addAll(List.of(ids.asText().split(",")));
            }
        }
        return out;
    }
}
