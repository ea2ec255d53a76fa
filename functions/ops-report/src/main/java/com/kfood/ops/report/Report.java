package com.kfood.ops.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A finished report: the window, each section, what needs a person, and the AWS calls it took. The
 * HTML page, the JSON document and the notification are all rendered from this one record.
 */
record Report(
        ReportKind kind,
        String window,
        Instant start,
        Instant end,
        Instant generatedAt,
        List<Section> sections,
        Map<String, Integer> apiCalls) {

    Verdict verdict() {
        return sections.stream().map(Section::verdict).reduce(Verdict.OK, Verdict::and);
    }

    /** The things that need a person, most urgent sections first, at most {@code n}. */
    List<String> actions(int n) {
        return sections.stream()
                .sorted((a, b) -> Integer.compare(rank(b.verdict()), rank(a.verdict())))
                .flatMap(s -> s.actions().stream())
                .limit(n)
                .toList();
    }

    private static int rank(Verdict v) {
        return v == Verdict.ACT ? 2 : v == Verdict.WATCH ? 1 : 0;
    }

    String title() {
        return Character.toUpperCase(kind.label().charAt(0)) + kind.label().substring(1) + " operations report";
    }
}
