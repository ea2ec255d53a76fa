package com.kfood.ops.remediation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The guard rails' memory, kept on the target itself (a tag on the ECS service or the database):
 * the last few remediations as {@code epochSeconds:transitionHash}. From it: was this alarm
 * transition already handled (idempotency), when did the last action run (cooldown), how many ran
 * in the last hour (cap). No database needed, and the state goes where the resource goes.
 */
public final class Cooldown {
    public static final String TAG = "kfood-ops:remediations";
    /**
     * Actions kept: the hourly cap can count no more, so MAX_ACTIONS_PER_HOUR is at most this. Tag
     * values are at most 256 characters: ten entries (eight actions, two noted) of 25 take 250.
     */
    public static final int KEPT = 8;
    /** Transitions noted without an action (at the maximum): remembered so a redelivery is known. */
    private static final int NOTED = 2;
    /** Marks a noted entry in the tag: {@code epochSeconds:hash!}. */
    private static final String NOTED_MARK = "!";

    private final Duration cooldown;
    private final int maxPerHour;

    public Cooldown(Duration cooldown, int maxPerHour) {
        this.cooldown = cooldown;
        this.maxPerHour = maxPerHour;
    }

    /**
     * One remediation: when, and which alarm transition caused it; {@code acted} false for a
     * transition noted without an action (it counts for idempotency, never for cooldown or cap).
     */
    public record Entry(Instant at, String transition, boolean acted) {
        public Entry(Instant at, String transition) {
            this(at, transition, true);
        }
    }

    /** The entries on a target, newest last. */
    public record History(List<Entry> entries) {
        public boolean handled(String transition) {
            return entries.stream().anyMatch(e -> e.transition().equals(transition));
        }

        /** The history with {@code entry}: the newest {@link #KEPT} actions and {@link #NOTED} noted transitions. */
        public History plus(Entry entry) {
            List<Entry> all = new ArrayList<>(entries);
            all.add(entry);
            List<Entry> acted = all.stream().filter(Entry::acted).toList();
            List<Entry> noted = all.stream().filter(e -> !e.acted()).toList();
            List<Entry> kept = new ArrayList<>(acted.subList(Math.max(0, acted.size() - KEPT), acted.size()));
            kept.addAll(noted.subList(Math.max(0, noted.size() - NOTED), noted.size()));
            kept.sort(Comparator.comparing(Entry::at));
            return new History(List.copyOf(kept));
        }

        List<Entry> actions() {
            return entries.stream().filter(Entry::acted).toList();
        }

        public String encode() {
            StringBuilder out = new StringBuilder();
            for (Entry e : entries) {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append(e.at().getEpochSecond()).append(':').append(e.transition());
                if (!e.acted()) {
                    out.append(NOTED_MARK);
                }
            }
            return out.toString();
        }

        /** Lenient: an entry that cannot be read (someone edited the tag) is ignored, not fatal. */
        public static History decode(String value) {
            List<Entry> entries = new ArrayList<>();
            if (value != null) {
                for (String item : value.trim().split("\\s+")) {
                    int colon = item.indexOf(':');
                    if (colon > 0) {
                        try {
                            String transition = item.substring(colon + 1);
                            boolean acted = !transition.endsWith(NOTED_MARK);
                            entries.add(new Entry(
                                    Instant.ofEpochSecond(Long.parseLong(item.substring(0, colon))),
                                    acted ? transition : transition.substring(0, transition.length() - 1),
                                    acted));
                        } catch (NumberFormatException e) {
                            // skip it
                        }
                    }
                }
            }
            entries.sort(Comparator.comparing(Entry::at));
            return new History(List.copyOf(entries));
        }
    }

    /** Why an action must not run now, or null when it may. */
    public String refusal(History history, Instant now) {
        List<Entry> actions = history.actions();
        Instant last = actions.isEmpty() ? null : actions.getLast().at();
        if (last != null && Duration.between(last, now).compareTo(cooldown) < 0) {
            return "cooldown: the last remediation of this target was "
                    + Duration.between(last, now).toMinutes() + " min ago (cooldown " + cooldown.toMinutes() + " min)";
        }
        long lastHour = actions.stream()
                .filter(e -> e.at().isAfter(now.minus(Duration.ofHours(1))))
                .count();
        if (lastHour >= maxPerHour) {
            return "cap: " + lastHour + " remediations of this target in the last hour (at most " + maxPerHour + ")";
        }
        return null;
    }

    /** A short, tag-safe hash of an alarm transition key. */
    public static String hash(String transitionKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(transitionKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
