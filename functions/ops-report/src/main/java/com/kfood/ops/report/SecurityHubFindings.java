package com.kfood.ops.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.InvalidAccessException;

/**
 * Security Hub's active findings by severity, and its failing controls by control id with those
 * new and resolved since the previous report of the same kind (or "not enabled").
 */
final class SecurityHubFindings {
    /** Findings read at most (100 a page): enough to count; more is said as "at least". */
    static final int MAX_FINDINGS = 1000;

    private final ReportReads reads;
    private final boolean enabled;
    private final PreviousReport previous;

    SecurityHubFindings(ReportReads reads, boolean enabled, PreviousReport previous) {
        this.reads = reads;
        this.enabled = enabled;
        this.previous = previous;
    }

    void addTo(Section.Builder section) {
        if (!enabled) {
            section.item(Item.of("Security Hub findings", "not read (SECURITY_HUB is false)", Verdict.OK));
            return;
        }
        List<AwsSecurityFinding> findings;
        try {
            findings = reads.activeFindings(MAX_FINDINGS);
        } catch (InvalidAccessException e) {
            section.item(Item.of("Security Hub findings", "not enabled in this account and region", Verdict.OK));
            return;
        } catch (RuntimeException e) {
            section.item(Item.unavailable("Security Hub findings", Problems.describe(e)));
            return;
        }
        severities(section, findings);
        controls(section, findings);
    }

    private void severities(Section.Builder section, List<AwsSecurityFinding> findings) {
        Map<String, Integer> bySeverity = new TreeMap<>();
        for (AwsSecurityFinding f : findings) {
            bySeverity.merge(severity(f), 1, Integer::sum);
        }
        int critical = bySeverity.getOrDefault("CRITICAL", 0);
        int high = bySeverity.getOrDefault("HIGH", 0);
        Verdict v = critical > 0 ? Verdict.ACT : high > 0 ? Verdict.WATCH : Verdict.OK;
        StringBuilder text = new StringBuilder();
        for (String s : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL")) {
            text.append(text.isEmpty() ? "" : ", ")
                    .append(bySeverity.getOrDefault(s, 0))
                    .append(' ')
                    .append(s.toLowerCase(Locale.ROOT));
        }
        Item item = new Item(
                "Security Hub active findings",
                (findings.size() >= MAX_FINDINGS ? "at least " : "") + text,
                "",
                v,
                "",
                null);
        for (var e : bySeverity.entrySet()) {
            item = item.number(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        section.item(item);
        if (critical > 0) {
            section.action(critical + " critical Security Hub finding(s) are open: triage them today");
        }
    }

    /** Failing controls by id (EC2.19, S3.8, ...), each with its worst severity; new and resolved. */
    private void controls(Section.Builder section, List<AwsSecurityFinding> findings) {
        Map<String, String> failing = new TreeMap<>();
        for (AwsSecurityFinding f : findings) {
            if (f.compliance() == null || !"FAILED".equals(f.compliance().statusAsString())) {
                continue;
            }
            Optional.ofNullable(f.compliance().securityControlId())
                    .or(() -> Optional.ofNullable(f.productFields().get("ControlId")))
                    .ifPresent(id -> failing.merge(id, severity(f), SecurityHubFindings::worse));
        }
        List<String> shown = new ArrayList<>();
        failing.forEach((id, sev) -> shown.add(id + " (" + sev.toLowerCase(Locale.ROOT) + ")"));
        String trend;
        boolean anyNew = false;
        Optional<Set<String>> before = previous.items("maintenance")
                .flatMap(items -> items.stream()
                        .filter(i -> i.label().equals("Security Hub failing controls"))
                        .findFirst())
                .flatMap(i -> Optional.ofNullable(i.numbers().get("controls")))
                .map(n -> n.asText().isEmpty() ? Set.of() : Set.of(n.asText().split(",")));
        if (before.isPresent()) {
            Set<String> added = new TreeSet<>(failing.keySet());
            added.removeAll(before.get());
            Set<String> resolved = new TreeSet<>(before.get());
            resolved.removeAll(failing.keySet());
            anyNew = !added.isEmpty();
            trend = added.size() + " new" + (added.isEmpty() ? "" : " (" + String.join(", ", added) + ")") + ", "
                    + resolved.size() + " resolved"
                    + (resolved.isEmpty() ? "" : " (" + String.join(", ", resolved) + ")") + " since "
                    + previous.name();
        } else {
            trend = "new and resolved not measured: " + previous.missing();
        }
        section.item(new Item(
                        "Security Hub failing controls",
                        failing.size()
                                + (failing.isEmpty()
                                        ? ""
                                        : ": "
                                                + String.join(
                                                        ", ",
                                                        shown.stream().limit(10).toList())),
                        trend,
                        // a control failing week after week is the backlog; a new one is news
                        failing.containsValue("CRITICAL") ? Verdict.ACT : anyNew ? Verdict.WATCH : Verdict.OK,
                        "",
                        null)
                .number("failingControls", failing.size())
                .number("controls", String.join(",", failing.keySet())));
    }

    private static String severity(AwsSecurityFinding f) {
        return f.severity() == null || f.severity().labelAsString() == null
                ? "UNKNOWN"
                : f.severity().labelAsString();
    }

    private static String worse(String a, String b) {
        List<String> order = List.of("UNKNOWN", "INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL");
        return order.indexOf(b) > order.indexOf(a) ? b : a;
    }
}
