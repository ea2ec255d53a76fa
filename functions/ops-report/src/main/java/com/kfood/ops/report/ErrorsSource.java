package com.kfood.ops.report;

import com.kfood.ops.shared.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/**
 * ERROR lines in the platform's log groups, by CloudWatch Logs Insights: the count in the window and
 * the previous one, and the most frequent messages. Messages are masked (numbers, ids, e-mail
 * addresses, credentials) before they are compared, so lines that differ only by an id count as one
 * and nothing personal or secret reaches the report.
 */
final class ErrorsSource extends Source {
    /** Insights returns at most this many groups; the masked top five are taken from them. */
    static final int GROUPS = 100;

    static final String TOP_QUERY =
            "filter @message like /ERROR/ | stats count(*) as n by @message | sort n desc | limit " + GROUPS;
    static final String COUNT_QUERY = "filter @message like /ERROR/ | stats count(*) as n";

    private final ReportReads reads;
    private final LogLiveness liveness;
    private final String prefix;
    private final ReportPeriod period;
    private final Clock clock;
    private final Duration timeout;

    ErrorsSource(
            ReportReads reads,
            LogLiveness liveness,
            String prefix,
            ReportPeriod period,
            Clock clock,
            Duration timeout) {
        super("errors", "Errors", EnumSet.of(ReportKind.DAILY));
        this.reads = reads;
        this.liveness = liveness;
        this.prefix = prefix;
        this.period = period;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    Section build(Metrics metrics) {
        // Insights reads at most 50 log groups a query
        DescribeLogGroupsResponse listed = reads.logGroups(prefix, 50);
        if (listed.logGroups().isEmpty()) {
            return Section.unavailable(key(), title(), "no log group under " + prefix);
        }
        Section.Builder section = new Section.Builder(key(), title());
        List<String> groups = alive(section, liveness.judge(listed.logGroups()));
        if (groups.isEmpty()) {
            return section.build();
        }
        // the three queries run at once in Insights; then each is read
        String top = start(groups, TOP_QUERY, period.start(), period.end());
        String count = start(groups, COUNT_QUERY, period.start(), period.end());
        String countBefore = start(groups, COUNT_QUERY, period.previousStart(), period.start());
        List<List<ResultField>> topRows = results(top);
        double n = total(results(count));
        double before = total(results(countBefore));
        Map<String, Double> messages = new LinkedHashMap<>();
        for (List<ResultField> row : topRows) {
            String message = field(row, "@message");
            double times = number(field(row, "n"));
            messages.merge(Text.masked(message, 160), times, Double::sum);
        }
        Verdict v =
                n > 2 * Math.max(before, 10) ? Verdict.ACT : n > 1.2 * before && n > 10 ? Verdict.WATCH : Verdict.OK;
        section.item(new Item(
                        "ERROR lines in " + groups.size() + " log group(s)",
                        Format.count(n) + " lines",
                        Format.change(n, before, Format.count(before) + " lines"),
                        v,
                        (listed.nextToken() == null ? "" : "the first 50 log groups under " + prefix + " only; ")
                                + (groups.size() < listed.logGroups().size()
                                        ? "not measured in "
                                                + (listed.logGroups().size() - groups.size()) + " silent group(s)"
                                        : ""),
                        null)
                .number("errorLines", n)
                .number("previousErrorLines", before));
        List<Map.Entry<String, Double>> ranked = new ArrayList<>(messages.entrySet());
        ranked.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        int rank = 0;
        for (Map.Entry<String, Double> e : ranked.subList(0, Math.min(5, ranked.size()))) {
            rank++;
            section.item(new Item(
                            "#" + rank + " " + e.getKey(),
                            Format.count(e.getValue()) + " times",
                            "",
                            Verdict.OK,
                            "",
                            null)
                    .number("times", e.getValue()));
        }
        if (v == Verdict.ACT) {
            section.action("ERROR lines rose to " + Format.count(n) + " (from " + Format.count(before)
                    + "): the most frequent is \""
                    + (ranked.isEmpty() ? "?" : ranked.getFirst().getKey()) + "\"");
        }
        return section.build();
    }

    /** The groups' liveness in the section; the groups that are not silent, whose errors are counted. */
    private List<String> alive(Section.Builder section, List<LogLiveness.Group> judged) {
        section.item(liveness.summary(judged));
        // a silent group's errors are not measured, never counted as zero
        judged.stream()
                .filter(g -> g.silent() || g.problem().isPresent())
                .forEach(g -> section.item(liveness.item(g, period.zone())));
        judged.stream()
                .filter(g -> g.verdict() == Verdict.ACT)
                .forEach(g -> section.action(g.name() + " has had no log events for "
                        + Format.hours(g.silence().toMinutes() / 60.0)
                        + ": is its log router (awslogs, FireLens) still shipping?"));
        return judged.stream()
                .filter(g -> !g.silent())
                .map(LogLiveness.Group::name)
                .toList();
    }

    private String start(List<String> groups, String query, Instant from, Instant to) {
        return reads.startQuery(groups, from, to, query);
    }

    private List<List<ResultField>> results(String queryId) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            GetQueryResultsResponse r = reads.queryResults(queryId);
            QueryStatus status = r.status();
            if (status == QueryStatus.COMPLETE) {
                return r.results();
            }
            if (status != QueryStatus.RUNNING && status != QueryStatus.SCHEDULED) {
                throw new IllegalStateException("Logs Insights query ended " + r.statusAsString());
            }
            if (clock.instant().isAfter(deadline)) {
                // not stopped: StopQuery is a write, and Insights ends its queries itself
                throw new IllegalStateException("Logs Insights did not answer within " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Logs Insights");
            }
        }
    }

    private static double total(List<List<ResultField>> rows) {
        return rows.isEmpty() ? 0 : number(field(rows.getFirst(), "n"));
    }

    private static String field(List<ResultField> row, String name) {
        return row.stream()
                .filter(f -> name.equals(f.field()))
                .map(ResultField::value)
                .findFirst()
                .orElse("");
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Logs Insights returned no count (its stats results are missing)");
        }
    }
}
