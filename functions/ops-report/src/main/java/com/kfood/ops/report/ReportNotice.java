package com.kfood.ops.report;

import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.Text;
import java.util.List;
import java.util.Optional;

/** The notification, and the same text for the function's result and the demo. */
final class ReportNotice {
    private ReportNotice() {}

    static Notification notification(Report report, Optional<String> link, boolean storeFailed) {
        Verdict v = report.verdict();
        Severity severity = switch (v) {
            case ACT -> Severity.WARNING;
            case OK -> Severity.SUCCESS;
            default -> Severity.INFO;
        };
        List<String> actions = report.actions(3);
        Notification.Builder n = Notification.builder(
                        severity,
                        "report." + report.kind().label(),
                        report.title() + ": "
                                + (actions.isEmpty()
                                        ? "nothing needs a person"
                                        : actions.size() + " thing(s) need a person"))
                .summary(report.window());
        for (Section s : report.sections()) {
            n.fact(s.title(), line(s));
        }
        actions.forEach(n::nextStep);
        link.ifPresent(l -> n.link("Full report (charts, every number)", l));
        if (storeFailed) {
            n.fact("Full report", "not stored this time: the function's log says why");
        }
        return n.build();
    }

    static String summary(Report report) {
        StringBuilder out = new StringBuilder();
        out.append(report.title()).append(" · ").append(report.window()).append('\n');
        for (Section s : report.sections()) {
            out.append(String.format("  %-26s %s%n", s.title(), line(s)));
        }
        List<String> actions = report.actions(3);
        out.append(actions.isEmpty() ? "  Nothing needs a person.\n" : "  Needs a person:\n");
        for (int i = 0; i < actions.size(); i++) {
            out.append("   ").append(i + 1).append(". ").append(actions.get(i)).append('\n');
        }
        int calls =
                report.apiCalls().values().stream().mapToInt(Integer::intValue).sum();
        out.append("  AWS calls: ").append(calls).append(' ').append(report.apiCalls());
        return out.toString();
    }

    /** "OK · overall: 99.931 % (30.0 min down...)": the verdict and the section's most telling line. */
    private static String line(Section s) {
        String status = s.verdict() == Verdict.UNKNOWN ? "N/A" : s.verdict().name();
        if (s.unavailable() != null) {
            return status + " · not available: " + s.unavailable();
        }
        Item headline = s.items().stream()
                .filter(i -> i.verdict() == s.verdict())
                .findFirst()
                .orElse(s.items().isEmpty() ? null : s.items().getFirst());
        return headline == null
                ? status
                : status + " · " + Text.printable(headline.label() + ": " + headline.value(), 110);
    }
}
