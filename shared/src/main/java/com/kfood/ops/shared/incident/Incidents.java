package com.kfood.ops.shared.incident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * One incident per alarm episode (ALARM until OK): its id, and what happened during it in time
 * order, kept where the remediation and the deploy notifier both read it. Every write is keyed by
 * what it records, so a redelivered event writes the same thing again, never a second entry.
 */
public interface Incidents {
    /** An alarm episode; {@code closed} is when it went back to OK (null while open). */
    record Incident(String id, String alarm, Instant start, Instant closed) {
        public boolean isOpen() {
            return closed == null;
        }

        /** The alarm's name, also when the episode is keyed by the alarm's ARN. */
        public String alarmName() {
            int at = alarm.indexOf(":alarm:");
            return at < 0 ? alarm : alarm.substring(at + ":alarm:".length());
        }
    }

    /** One moment of the episode; {@code kind} is one of the constants below. */
    record Entry(Instant at, String kind, String text) {}

    String ALARM = "alarm";
    String ACTION = "action";
    String SUPPRESSED = "suppressed";
    String DEPLOYMENT_DONE = "deployment-completed";
    String DEPLOYMENT_FAILED = "deployment-failed";
    String RECOVERED = "recovered";

    /**
     * The episode an ALARM at {@code at} belongs to: the alarm's open one (an ALARM after
     * INSUFFICIENT_DATA is the same episode), the closed one it predates (a late redelivery), else a
     * new one starting at {@code at}.
     */
    Incident open(String alarm, Instant at);

    /** The alarm's latest episode, open or closed. */
    Optional<Incident> latest(String alarm);

    void add(String incidentId, Entry entry);

    /** The episode's entries, oldest first (at most {@link #MAX_ENTRIES}). */
    List<Entry> timeline(String incidentId);

    /** Marks the episode recovered at {@code at}; closing a closed one changes nothing. */
    Incident close(Incident incident, Instant at);

    /** Remembers that a deployment was started for the incident, for whoever reports the deployment. */
    void linkDeployment(String deploymentId, Incident incident);

    /** The incident a deployment was started for, if any. */
    Optional<Incident> byDeployment(String deploymentId);

    int MAX_ENTRIES = 50;

    /** The store's reads and writes, for SnapStart priming (stopped before sending). */
    Runnable[] primingCalls();

    /**
     * No incident log (no state bucket configured): an ALARM still gets its episode's id, which is
     * derived, not stored; nothing is kept, so a recovery finds no episode and tells no timeline.
     */
    static Incidents none() {
        return new Incidents() {
            @Override
            public Incident open(String alarm, Instant at) {
                return new Incident(idOf(alarm, at), alarm, at, null);
            }

            @Override
            public Optional<Incident> latest(String alarm) {
                return Optional.empty();
            }

            @Override
            public void add(String incidentId, Entry entry) {}

            @Override
            public List<Entry> timeline(String incidentId) {
                return List.of();
            }

            @Override
            public Incident close(Incident incident, Instant at) {
                return new Incident(incident.id(), incident.alarm(), incident.start(), at);
            }

            @Override
            public void linkDeployment(String deploymentId, Incident incident) {}

            @Override
            public Optional<Incident> byDeployment(String deploymentId) {
                return Optional.empty();
            }

            @Override
            public Runnable[] primingCalls() {
                return new Runnable[0];
            }
        };
    }

    /** {@code INC-20261126-031241-a1b2}: the episode's start in UTC and the alarm, the same on every delivery. */
    static String idOf(String alarm, Instant start) {
        return "INC-"
                + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(start)
                + "-" + hash(alarm).substring(0, 4);
    }

    /** A key-safe digest of any text (alarm names and deployment ids come from events). */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
