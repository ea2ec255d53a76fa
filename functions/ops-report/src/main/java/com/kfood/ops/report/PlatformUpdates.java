package com.kfood.ops.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.elasticache.model.UpdateAction;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;

/**
 * What else AWS would have updated: ElastiCache's service updates not yet applied, the Fargate
 * platform the services run on, and the functions' own runtime with its announced deprecation.
 */
final class PlatformUpdates {
    /** An update AWS recommends applying by a date this close (or past) needs a person now. */
    static final Duration APPLY_BY_SOON = Duration.ofDays(14);
    /** A runtime deprecated this soon is worth planning for. */
    static final Duration DEPRECATION_SOON = Duration.ofDays(180);

    private final UpkeepReads upkeep;
    private final UpkeepLimits limits;
    private final Instant now;

    PlatformUpdates(UpkeepReads upkeep, UpkeepLimits limits, Instant now) {
        this.upkeep = upkeep;
        this.limits = limits;
        this.now = now;
    }

    /** The caches' pending service updates: severity, status, the recommended apply-by date. */
    Item cacheUpdates(List<String> cacheClusterIds) {
        String label = "ElastiCache service updates";
        if (cacheClusterIds.isEmpty()) {
            return Item.of(label, "not read (CACHE_CLUSTER_IDS is empty)", Verdict.OK);
        }
        List<UpdateAction> actions;
        try {
            actions = upkeep.updateActions(cacheClusterIds);
        } catch (RuntimeException e) {
            return Item.unavailable(label, Problems.describe(e));
        }
        if (actions.isEmpty()) {
            return Item.of(label, "none pending for " + String.join(", ", cacheClusterIds), Verdict.OK)
                    .number("pending", 0);
        }
        Verdict v = Verdict.WATCH;
        List<String> parts = new ArrayList<>();
        for (UpdateAction a : actions) {
            Optional<Instant> applyBy = Optional.ofNullable(a.serviceUpdateRecommendedApplyByDate());
            boolean urgent = ("critical".equals(a.serviceUpdateSeverityAsString())
                            || "important".equals(a.serviceUpdateSeverityAsString()))
                    && applyBy.map(d -> d.isBefore(now.plus(APPLY_BY_SOON))).orElse(false);
            v = urgent ? Verdict.ACT : v;
            parts.add(a.serviceUpdateName() + " on "
                    + (a.cacheClusterId() != null ? a.cacheClusterId() : a.replicationGroupId()) + " ("
                    + a.serviceUpdateSeverityAsString() + ", " + a.updateActionStatusAsString()
                    + applyBy.map(d -> ", apply by " + d.toString().substring(0, 10))
                            .orElse("") + ")");
        }
        return Item.of(label, actions.size() + " pending: " + String.join("; ", parts), v)
                .number("pending", actions.size());
    }

    /** The Fargate platform a service asks for (LATEST or pinned) and the one its tasks run. */
    Item platform(ServiceRun run) {
        String label = "platform " + run.name();
        boolean fargate = "FARGATE".equals(run.service().launchTypeAsString())
                || run.service().platformVersion() != null;
        if (!fargate) {
            return Item.of(
                    label, "not on Fargate (launch type " + run.service().launchTypeAsString() + ")", Verdict.OK);
        }
        String asked = Optional.ofNullable(run.service().platformVersion()).orElse("(platform version not reported)");
        List<String> running = run.tasks().stream()
                .map(Task::platformVersion)
                .filter(p -> p != null)
                .distinct()
                .toList();
        Optional<Instant> oldest =
                run.tasks().stream().map(Task::startedAt).filter(t -> t != null).min(Instant::compareTo);
        String value = "Fargate " + asked
                + (running.isEmpty() ? "" : ", tasks on " + String.join(", ", running))
                + oldest.map(t -> ", the oldest task started "
                                + Duration.between(t, now).toDays() + " days ago")
                        .orElse("");
        boolean pinned = run.service().platformVersion() != null && !"LATEST".equals(asked);
        return new Item(
                        label,
                        value,
                        "",
                        pinned ? Verdict.WATCH : Verdict.OK,
                        pinned ? "pinned: Fargate's newer platform and its patches wait until it is moved" : "",
                        null)
                .number("pinned", pinned);
    }

    /** The runtime the stack's functions share (this function's), and its deprecation if announced. */
    Item runtime() {
        String label = "Lambda runtime";
        if (limits.functionName().isEmpty()) {
            return Item.of(label, "not read (AWS_LAMBDA_FUNCTION_NAME is not set: not running in Lambda)", Verdict.OK);
        }
        GetFunctionConfigurationResponse f;
        try {
            f = upkeep.function(limits.functionName().get());
        } catch (RuntimeException e) {
            return Item.unavailable(label, Problems.describe(e));
        }
        String runtime = f.runtimeAsString() == null ? "container image" : f.runtimeAsString();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        return limits.runtimeDeprecation()
                .map(d -> {
                    long days = Duration.between(today.atStartOfDay(), d.atStartOfDay())
                            .toDays();
                    Verdict v = days < 0 ? Verdict.ACT : days < DEPRECATION_SOON.toDays() ? Verdict.WATCH : Verdict.OK;
                    String when = days < 0 ? "deprecated since " + d : "deprecated on " + d + " (in " + days + " days)";
                    return Item.of(label, runtime + ": " + when, v).number("daysToDeprecation", days);
                })
                .orElseGet(() -> Item.of(
                        label,
                        runtime + ": no deprecation announced (RuntimeDeprecationDate is empty)"
                                + (f.architectures().isEmpty()
                                        ? ""
                                        : ", "
                                                + f.architecturesAsStrings()
                                                        .getFirst()
                                                        .toLowerCase(Locale.ROOT)),
                        Verdict.OK));
    }
}
