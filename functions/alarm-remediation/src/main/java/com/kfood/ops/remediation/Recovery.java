package com.kfood.ops.remediation;

import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.incident.Incidents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/** An alarm back to OK: what the recovery notification tells, and the raised minimum given back. */
record Recovery(Platform platform, Episodes episodes, Clock clock, boolean dryRun) {

    /** The recovery's facts: how long it lasted, what was done, the minimum given back, the timeline. */
    Map<String, String> facts(AlarmChange alarm, Rule rule) {
        Instant end = alarm.changedAt() != null ? alarm.changedAt() : clock.instant();
        Instant start = alarm.previousStateSince();
        String history = null;
        if (start == null && "ALARM".equals(alarm.oldState())) {
            try {
                start = platform.alarmStart(alarm.name(), end);
            } catch (SdkException e) {
                history = "alarm history unavailable (" + Errors.describe(e) + ")";
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(
                "Duration",
                start != null
                        ? "lasted " + Episodes.minutes(Duration.between(start, end)) + " (since " + start + ")"
                        : "duration unknown: "
                                + (history != null ? history : "no transition to ALARM found in the last day"));
        if (rule != null && rule.action().mutating) {
            // up to now: the recovery is notified as it happens, and the alarm's own clock may lag ours
            Instant now = clock.instant();
            facts.put(
                    "During it",
                    actionsDuring(
                            alarm,
                            rule,
                            start != null ? start : end.minus(Duration.ofHours(1)),
                            now.isAfter(end) ? now : end));
        }
        if (rule != null && rule.action() == Runbook.ECS_SCALE_OUT) {
            facts.put("Autoscaling minimum", releaseHold(alarm, rule));
        }
        if (alarm.incident() != null) {
            episodes.timeline(alarm.incident(), end, facts);
        }
        return facts;
    }

    /** Gives the service its minimum back, if a scale-out of ours raised it; says what it did. */
    private String releaseHold(AlarmChange alarm, Rule rule) {
        Rule.ResolvedTarget target = rule.resolve(alarm);
        if (target.refusal() != null) {
            return "not touched (" + target.refusal() + ")";
        }
        try {
            Platform.EcsService service = platform.ecsService(target.get("cluster"), target.get("service"));
            Platform.ScalableTarget scaling = service == null ? null : platform.scalableTarget(service);
            if (scaling == null || scaling.hold() == null) {
                return "no raised minimum to restore";
            }
            int original = scaling.hold().originalMin();
            Integer set = scaling.hold().setTo();
            if (set != null && scaling.min() != set) {
                // a person moved it during the hold: theirs stands, and our scheduled restore goes too
                if (dryRun) {
                    return "dry run: would leave the minimum a person set (" + scaling.min() + ")";
                }
                platform.restoreMinimum(service, scaling, false);
                String left = "left the minimum a person set (" + scaling.min() + ") on ecs:" + service.cluster() + "/"
                        + service.name() + "; kfood-ops had set " + set + " and no longer restores it";
                episodes.record(alarm, Incidents.ACTION, left);
                return left;
            }
            if (dryRun) {
                return "dry run: would restore it from " + scaling.min() + " to " + original;
            }
            platform.restoreMinimum(service, scaling, true);
            String done = "restored from " + scaling.min() + " to " + original + " on ecs:" + service.cluster() + "/"
                    + service.name() + " (the hold ran to " + scaling.hold().until() + ")";
            episodes.record(alarm, Incidents.ACTION, done);
            return done;
        } catch (SdkException e) {
            return "could not restore: " + Errors.describe(e)
                    + "; autoscaling's scheduled action restores it when the hold ends";
        }
    }

    private String actionsDuring(AlarmChange alarm, Rule rule, Instant from, Instant to) {
        Rule.ResolvedTarget target = rule.resolve(alarm);
        if (target.refusal() != null) {
            return "no action (" + target.refusal() + ")";
        }
        try {
            Cooldown.History history = rule.action() == Runbook.RDS_REBOOT
                    ? Optional.ofNullable(platform.database(target.get("dbInstance")))
                            .map(Platform.Database::history)
                            .orElse(null)
                    : Optional.ofNullable(platform.ecsService(target.get("cluster"), target.get("service")))
                            .map(Platform.EcsService::history)
                            .orElse(null);
            if (history == null) {
                return "target not found";
            }
            List<Cooldown.Entry> during = history.entries().stream()
                    .filter(e -> !e.at().isBefore(from.minus(Duration.ofMinutes(1)))
                            && !e.at().isAfter(to.plus(Duration.ofMinutes(1))))
                    .toList();
            return during.isEmpty()
                    ? "no action was taken"
                    : during.size() + " x " + rule.action().id + " (at "
                            + String.join(
                                    ", ",
                                    during.stream().map(e -> e.at().toString()).toList()) + ")";
        } catch (SdkException e) {
            return "unknown (" + Errors.describe(e) + ")";
        }
    }
}
