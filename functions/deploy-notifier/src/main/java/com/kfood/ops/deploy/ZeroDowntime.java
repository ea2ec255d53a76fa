package com.kfood.ops.deploy;

import com.kfood.ops.deploy.TrafficWindow.Minute;
import com.kfood.ops.shared.Errors;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Whether users saw a finished deployment: its own window (from its start, as ECS or CodeDeploy
 * recorded it, to the event's time: a late delivery judges the same minutes) against the hour
 * before. A "no" names its numbers: 5xx from the targets or from the load balancer itself in any
 * minute beyond the worst minute of the hour before, or no healthy host in any minute. A p95
 * response time risen beyond the configured share, or unhealthy hosts, are reported, not counted as
 * downtime. Only metrics make a "yes": none for the window, or none for its start, is "not measured".
 */
final class ZeroDowntime {
    static final Duration BASELINE = Duration.ofHours(1);
    /** A deployment longer than this is judged over its last day only (and so never proven). */
    static final Duration LONGEST = Duration.ofHours(24);
    /** Metrics that begin later than this after the window's start leave the deployment's start unseen. */
    static final Duration LATE_METRICS = Duration.ofMinutes(2);

    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of("Asia/Seoul"));

    /** The minutes judged: the deployment's start, the first minute read (later when capped) and the end. */
    record Span(Instant started, Instant from, Instant to) {
        int minute(Minute m) {
            return 1 + (int) Duration.between(from, m.at()).toMinutes();
        }

        String text() {
            return HH_MM.format(from) + "-" + HH_MM.format(to) + " KST against " + HH_MM.format(from.minus(BASELINE))
                    + "-" + HH_MM.format(from) + " KST";
        }
    }

    private final Traffic traffic;
    private final double latencyRisePercent;

    ZeroDowntime(Traffic traffic, double latencyRisePercent) {
        this.traffic = traffic;
        this.latencyRisePercent = latencyRisePercent;
    }

    /** The events that end a deployment: each gets a verdict. */
    static boolean finishes(DeployEvent e) {
        return switch (e.name()) {
            case "SERVICE_DEPLOYMENT_COMPLETED", "SERVICE_DEPLOYMENT_FAILED", "SUCCESS", "FAILURE", "STOP" -> true;
            default -> false;
        };
    }

    Runnable[] primingCalls() {
        return traffic.primingCalls();
    }

    /** The verdict of a deployment placed as {@code p} that ended at {@code end}; reads only. */
    DowntimeVerdict judge(Placement p, Instant end) {
        if (p.unknown() != null) {
            return DowntimeVerdict.notMeasured("the deployment could not be looked up (" + p.unknown() + ")");
        }
        if (p.startedAt() == null) {
            return DowntimeVerdict.notMeasured("the deployment's start is unknown");
        }
        if (p.targetGroups().isEmpty()) {
            return DowntimeVerdict.notMeasured("no load balancer in front of the service");
        }
        Instant started = p.startedAt().truncatedTo(ChronoUnit.MINUTES);
        Instant to = end.truncatedTo(ChronoUnit.MINUTES).equals(end)
                ? end
                : end.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        if (!to.isAfter(started)) {
            to = started.plus(Duration.ofMinutes(1));
        }
        Instant from = Duration.between(started, to).compareTo(LONGEST) > 0 ? to.minus(LONGEST) : started;
        try {
            List<Traffic.Target> targets = traffic.targets(p.targetGroups());
            if (targets.isEmpty()) {
                return DowntimeVerdict.notMeasured("its target groups are behind no load balancer");
            }
            return judge(
                    new Span(started, from, to),
                    traffic.read(targets, from.minus(BASELINE), from, to),
                    latencyRisePercent);
        } catch (SdkException e) {
            return DowntimeVerdict.notMeasured(
                    "the load balancer's metrics could not be read (" + Errors.describe(e) + ")");
        }
    }

    static DowntimeVerdict judge(Span s, TrafficWindow t, double latencyRisePercent) {
        List<Minute> before =
                t.minutes().stream().filter(m -> m.at().isBefore(s.from())).toList();
        List<Minute> window = t.minutes().stream()
                .filter(m -> !m.at().isBefore(s.from()) && m.at().isBefore(s.to()))
                .toList();
        List<Minute> measured = window.stream().filter(Minute::measured).toList();
        if (measured.isEmpty()) {
            return DowntimeVerdict.notMeasured("no load balancer metrics for the window (" + s.text() + ")");
        }
        List<String> reasons = new ArrayList<>();
        errors(reasons, "target 5xx", window, before, Minute::targetErrors, s);
        errors(reasons, "load balancer 5xx", window, before, Minute::elbErrors, s);
        List<Minute> noHealthy = window.stream()
                .filter(m -> m.healthy() != null && m.healthy() < 1)
                .toList();
        if (!noHealthy.isEmpty()) {
            reasons.add(
                    "healthy hosts 0 for " + noHealthy.size() + " min from minute " + s.minute(noHealthy.getFirst()));
        }
        List<String> notes = notes(s, t, window, before, latencyRisePercent);
        boolean capped = s.from().isAfter(s.started());
        boolean lateMetrics = measured.getFirst().at().isAfter(s.from().plus(LATE_METRICS));
        if (reasons.isEmpty() && (capped || lateMetrics)) {
            return DowntimeVerdict.notMeasured(
                    capped
                            ? "the deployment ran "
                                    + Duration.between(s.started(), s.to()).toHours()
                                    + " h and only its last 24 h were read (no downtime in them)"
                            : "the metrics begin at "
                                    + HH_MM.format(measured.getFirst().at()) + " KST, after the deployment started at "
                                    + HH_MM.format(s.started()) + " KST (no downtime after that)");
        }
        return new DowntimeVerdict(
                reasons.isEmpty() ? DowntimeVerdict.Status.YES : DowntimeVerdict.Status.NO,
                reasons,
                notes,
                null,
                s.text());
    }

    /** 5xx beyond the worst minute of the hour before: the worst minute, and the total when there are more. */
    private static void errors(
            List<String> reasons,
            String label,
            List<Minute> window,
            List<Minute> before,
            ToDoubleFunction<Minute> count,
            Span s) {
        double usual = before.stream().mapToDouble(count).max().orElse(0);
        List<Minute> over =
                window.stream().filter(m -> count.applyAsDouble(m) > usual).toList();
        if (over.isEmpty()) {
            return;
        }
        Minute worst = over.stream().max(Comparator.comparingDouble(count)).orElseThrow();
        List<String> more = new ArrayList<>();
        if (over.size() > 1) {
            more.add(whole(over.stream().mapToDouble(count).sum()) + " in " + over.size() + " min");
        }
        if (usual > 0) {
            more.add("the hour before at most " + whole(usual) + " a minute");
        }
        reasons.add(whole(count.applyAsDouble(worst)) + " " + label + " in minute " + s.minute(worst)
                + (more.isEmpty() ? "" : " (" + String.join("; ", more) + ")"));
    }

    private static List<String> notes(
            Span s, TrafficWindow t, List<Minute> window, List<Minute> before, double latencyRisePercent) {
        List<String> notes = new ArrayList<>();
        double p95 = t.p95Window().orElse(Double.NaN);
        double p95Before = t.p95Before().orElse(Double.NaN);
        if (p95Before > 0 && p95 > p95Before * (1 + latencyRisePercent / 100)) {
            notes.add("p95 response time +" + Math.round(100 * (p95 / p95Before - 1)) + " % (" + millis(p95)
                    + " against " + millis(p95Before) + " the hour before)");
        }
        ToDoubleFunction<Minute> unhealthy = m -> m.unhealthy() == null ? 0 : m.unhealthy();
        double usual = before.stream().mapToDouble(unhealthy).max().orElse(0);
        window.stream()
                .filter(m -> unhealthy.applyAsDouble(m) > usual)
                .max(Comparator.comparingDouble(unhealthy))
                .ifPresent(m -> notes.add(
                        "unhealthy hosts up to " + whole(unhealthy.applyAsDouble(m)) + " in minute " + s.minute(m)));
        return notes;
    }

    private static String whole(double v) {
        return String.valueOf(Math.round(v));
    }

    private static String millis(double seconds) {
        return Math.round(seconds * 1000) + " ms";
    }
}
