package com.kfood.ops.remediation;

import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.Text;
import com.kfood.ops.shared.incident.Incidents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The alarm's episode in the incident log: which one a change belongs to, whether it came too late
 * to matter, each moment kept, the deployment it started, and the timeline told at recovery. The
 * log is a help, not a guard rail: when it cannot be reached the alarm is handled without it.
 */
record Episodes(Incidents incidents, OpsLog log, Clock clock) {
    /** An alarm ARN is at most about 330 characters (a name at most 255). */
    private static final int MAX_ALARM_KEY = 512;

    Runnable[] primingCalls() {
        return incidents.primingCalls();
    }

    /**
     * The change with its episode: an ALARM opens one (or continues the open one); an OK, or an
     * INSUFFICIENT_DATA on the way, belongs to the open one if there is one. The incident log is a
     * help, not a guard rail: when it cannot be reached, the alarm is handled without it.
     */
    AlarmChange inIncident(AlarmChange alarm) {
        if (alarm.key().length() > MAX_ALARM_KEY) {
            return alarm; // no CloudWatch alarm has such a name or ARN: nothing of it is kept
        }
        Instant at = alarm.changedAt() != null ? alarm.changedAt() : clock.instant();
        try {
            Incidents.Incident episode;
            if (alarm.isAlarm()) {
                episode = incidents.open(alarm.key(), at);
                if (!episode.isOpen() && at.isBefore(episode.closed())) {
                    return alarm.inIncident(episode); // older than the episode's OK: it changes nothing
                }
                incidents.add(
                        episode.id(),
                        new Incidents.Entry(
                                at,
                                Incidents.ALARM,
                                "ALARM"
                                        + (alarm.oldState() == null
                                                ? ""
                                                : " (from " + Text.printable(alarm.oldState(), 20) + ")")));
            } else {
                // an OK delivered again after it closed the episode still belongs to it
                boolean ok = "OK".equals(alarm.newState());
                episode = incidents
                        .latest(alarm.key())
                        .filter(i -> i.isOpen() || (ok && at.equals(i.closed())))
                        .orElse(null);
            }
            return episode == null ? alarm : alarm.inIncident(episode);
        } catch (SdkException e) {
            log.warn("incident log unavailable", "alarm", alarm.name(), "error", Errors.describe(e));
            return alarm;
        }
    }

    /**
     * Why the change arrived too late to matter, or null: an ALARM older than the OK that closed its
     * episode, or an OK older than the open episode's latest ALARM. Either would undo what a newer
     * change decided (restore a minimum mid-incident, act after recovery).
     */
    String stale(AlarmChange alarm) {
        Incidents.Incident episode = alarm.incident();
        Instant at = alarm.changedAt();
        if (episode == null || at == null) {
            return null;
        }
        if (alarm.isAlarm()) {
            return !episode.isOpen() && at.isBefore(episode.closed())
                    ? "an ALARM of " + at + ", older than the OK of " + episode.closed() + " that ended its episode"
                    : null;
        }
        if (!"OK".equals(alarm.newState()) || !episode.isOpen()) {
            return null;
        }
        Instant latestAlarm;
        try {
            latestAlarm = incidents.timeline(episode.id()).stream()
                    .filter(e -> e.kind().equals(Incidents.ALARM))
                    .map(Incidents.Entry::at)
                    .max(Comparator.naturalOrder())
                    .orElse(episode.start());
        } catch (SdkException e) {
            // the incident log is a help, not a guard rail: unread, the OK is handled as it comes
            log.warn("incident log unavailable", "alarm", alarm.name(), "error", Errors.describe(e));
            return null;
        }
        return at.isBefore(latestAlarm)
                ? "an OK of " + at + ", older than the episode's latest ALARM of " + latestAlarm
                : null;
    }

    /** One moment of the episode, kept for its timeline; lost only when the store cannot be reached. */
    void record(AlarmChange alarm, String kind, String text) {
        if (alarm.incident() == null) {
            return;
        }
        try {
            incidents.add(alarm.incident().id(), new Incidents.Entry(clock.instant(), kind, Text.printable(text, 300)));
        } catch (SdkException e) {
            log.warn("incident entry not kept", "incident", alarm.incident().id(), "error", Errors.describe(e));
        }
    }

    /** Tells whoever reports the deployment that this episode started it; a deployment that goes unnamed is no failure. */
    void link(String deployment, AlarmChange alarm) {
        if (alarm.incident() == null) {
            return;
        }
        try {
            incidents.linkDeployment(deployment, alarm.incident());
        } catch (SdkException e) {
            log.warn("deployment not linked to its incident", "deployment", deployment, "error", Errors.describe(e));
        }
    }

    /** The episode from alarm to OK: each moment, the time to recover, and what the guard rails held back. */
    void timeline(Incidents.Incident incident, Instant ok, Map<String, String> facts) {
        try {
            List<Incidents.Entry> entries = new ArrayList<>(incidents.timeline(incident.id()));
            incidents.close(incident, ok);
            Incidents.Entry recovered = new Incidents.Entry(ok, Incidents.RECOVERED, "OK");
            incidents.add(incident.id(), recovered);
            entries.removeIf(e -> e.kind().equals(Incidents.RECOVERED));
            entries.add(recovered);
            // in time order; at the same instant the alarm comes before what it caused
            entries.sort(Comparator.comparing(Incidents.Entry::at)
                    .thenComparing(e -> !e.kind().equals(Incidents.ALARM)));
            List<String> moments = new ArrayList<>();
            List<String> suppressed = new ArrayList<>();
            for (Incidents.Entry e : entries) {
                if (e.kind().equals(Incidents.SUPPRESSED)) {
                    suppressed.add(e.text());
                    continue;
                }
                Duration since = Duration.between(incident.start(), e.at());
                moments.add(
                        (moments.isEmpty() ? "t0 " + e.at() : "+" + clock(since)) + " " + Text.printable(e.text(), 90));
            }
            facts.put("Timeline", String.join("  |  ", moments));
            facts.put("Time to recover", minutes(Duration.between(incident.start(), ok)) + " (alarm to OK)");
            facts.put(
                    "Suppressed during it",
                    suppressed.isEmpty() ? "nothing" : suppressed.size() + ": " + String.join("; ", suppressed));
        } catch (SdkException e) {
            facts.put("Timeline", "unavailable: " + Errors.describe(e));
        }
    }

    private static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    static String minutes(Duration d) {
        long m = d.toMinutes();
        if (m < 2) {
            return Math.max(0, d.toSeconds()) + " s";
        }
        return m < 120 ? m + " min" : (m / 60) + " h " + (m % 60) + " min";
    }

    static String incidentId(AlarmChange alarm) {
        return alarm.incident() == null ? "" : alarm.incident().id();
    }
}
