package com.kfood.ops.shared.backup;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for every snapshot listed, whether the prune may delete it. Deletion needs all of:
 * manual, of a configured database, tagged ManagedBy this stack, named as this stack names them,
 * available, not in use by a restore drill, kept by no retention tier (daily, weekly, monthly: see
 * {@link RetentionTiers}), and not among the newest {@code MIN_SNAPSHOTS_KEPT} of its database.
 * Everything else is kept, with the first reason that applies and, for ours, every tier that keeps
 * it. Pure: no AWS, no clock.
 */
public final class RetentionPolicy {
    public enum Reason {
        NOT_MANUAL("not a manual snapshot (automated, AWS Backup, shared or public)"),
        OTHER_DATABASE("snapshot of a database this stack does not manage"),
        NOT_OURS("not tagged ManagedBy this stack"),
        NOT_OUR_NAME("tagged as ours but not named as this stack names snapshots"),
        NOT_AVAILABLE("not available (creating, failed, deleting...)"),
        IN_USE("in use by a restore drill"),
        FLOOR("among the newest kept whatever their age"),
        NOT_EXPIRED("younger than its retention"),
        WEEKLY("the first of its week, kept by the weekly tier"),
        MONTHLY("the first of its month, kept by the monthly tier");

        public final String description;

        Reason(String description) {
            this.description = description;
        }
    }

    /**
     * The verdict on one snapshot: {@code reason} is null when it is to be deleted; {@code keptBy}
     * names every tier keeping one of ours ("daily", "weekly", "monthly", "floor"), empty otherwise.
     */
    public record Verdict(ManagedSnapshot snapshot, Reason reason, int retentionDays, List<String> keptBy) {
        public boolean delete() {
            return reason == null;
        }
    }

    private final BackupConfig config;
    private final RetentionTiers tiers;
    /** The dailies' retention whatever a snapshot's tag says (the DR region's); null: the tag, else the config. */
    private final Integer fixedRetentionDays;

    public RetentionPolicy(BackupConfig config) {
        this(config, null);
    }

    private RetentionPolicy(BackupConfig config, Integer fixedRetentionDays) {
        this.config = config;
        this.tiers = new RetentionTiers(
                config.weeklyRetentionWeeks(), config.monthlyRetentionMonths(), config.retentionZone());
        this.fixedRetentionDays = fixedRetentionDays;
    }

    /**
     * The DR region's copies: the same rules of ownership and the same tiers, dailies kept
     * {@code DR_RETENTION_DAYS} (a copy carries its source's retention tag, which is the home region's).
     */
    public static RetentionPolicy forDr(BackupConfig config) {
        return new RetentionPolicy(config, config.drRetentionDays());
    }

    /** Snapshots one database keeps once every tier is full (one a day), never fewer than the floor. */
    public int steadyState(Instant now) {
        return tiers.steadyState(
                fixedRetentionDays != null ? fixedRetentionDays : config.retentionDays(),
                config.minSnapshotsKept(),
                now);
    }

    public List<Verdict> judge(List<ManagedSnapshot> snapshots, Instant now) {
        List<Verdict> verdicts = new ArrayList<>(snapshots.size());
        Map<String, List<ManagedSnapshot>> oursByDb = new HashMap<>();
        for (ManagedSnapshot s : snapshots) {
            if (ownership(s) == null && "available".equals(s.status())) {
                oursByDb.computeIfAbsent(s.db(), k -> new ArrayList<>()).add(s);
            }
        }
        // the floor: the newest N of each database's managed, available snapshots
        Set<String> floor = new HashSet<>();
        oursByDb.values()
                .forEach(list -> list.stream()
                        .sorted(Comparator.comparing(ManagedSnapshot::created).reversed())
                        .limit(config.minSnapshotsKept())
                        .forEach(s -> floor.add(s.id())));
        Map<String, EnumSet<RetentionTiers.Tier>> kept = new HashMap<>();
        oursByDb.values()
                .forEach(list -> kept.putAll(tiers.keep(
                        list.stream()
                                .filter(s -> s.created() != null)
                                .map(s -> new RetentionTiers.Dated(s.id(), s.created(), retentionDays(s)))
                                .toList(),
                        now)));
        for (ManagedSnapshot s : snapshots) {
            EnumSet<RetentionTiers.Tier> by = kept.getOrDefault(s.id(), EnumSet.noneOf(RetentionTiers.Tier.class));
            List<String> keptBy = new ArrayList<>();
            by.forEach(t -> keptBy.add(t.label()));
            if (floor.contains(s.id())) {
                keptBy.add("floor");
            }
            int retention = retentionDays(s);
            verdicts.add(new Verdict(s, reason(s, floor, by, now), retention, List.copyOf(keptBy)));
        }
        return verdicts;
    }

    private Reason reason(ManagedSnapshot s, Set<String> floor, Set<RetentionTiers.Tier> by, Instant now) {
        Reason notOurs = ownership(s);
        if (notOurs != null) {
            return notOurs;
        }
        if (!"available".equals(s.status())) {
            return Reason.NOT_AVAILABLE;
        }
        if (inUseByDrill(s, now)) {
            return Reason.IN_USE;
        }
        if (floor.contains(s.id())) {
            return Reason.FLOOR;
        }
        if (s.created() == null || by.contains(RetentionTiers.Tier.DAILY)) {
            return Reason.NOT_EXPIRED;
        }
        if (by.contains(RetentionTiers.Tier.WEEKLY)) {
            return Reason.WEEKLY;
        }
        return by.contains(RetentionTiers.Tier.MONTHLY) ? Reason.MONTHLY : null;
    }

    /** Whether the snapshot is this stack's: manual, of a configured database, tagged and named by us. */
    public boolean isOurs(ManagedSnapshot s) {
        return ownership(s) == null;
    }

    /** Why the snapshot is not this stack's, or null when it is (by type, database, tag and name). */
    private Reason ownership(ManagedSnapshot s) {
        if (!"manual".equals(s.type())) {
            return Reason.NOT_MANUAL;
        }
        if (!config.dbInstanceIds().contains(s.db())) {
            return Reason.OTHER_DATABASE;
        }
        if (!config.managedBy().equals(s.tags().get(SnapshotTags.MANAGED_BY))) {
            return Reason.NOT_OURS;
        }
        if (!SnapshotTags.isOurName(config.snapshotPrefix(), s.db(), s.id())) {
            return Reason.NOT_OUR_NAME;
        }
        return null;
    }

    /** A drill's mark holds until the time it names; one that cannot be read holds too. */
    public static boolean inUseByDrill(ManagedSnapshot s, Instant now) {
        String until = s.tags().get(SnapshotTags.DRILL_IN_USE);
        if (until == null) {
            return false;
        }
        try {
            return Instant.parse(until).isAfter(now);
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /** The retention the snapshot was taken under (its tag), else the configured one. */
    public int retentionDays(ManagedSnapshot s) {
        if (fixedRetentionDays != null) {
            return fixedRetentionDays;
        }
        String tag = s.tags().get(SnapshotTags.RETENTION_DAYS);
        if (tag != null && tag.matches("\\d{1,4}")) {
            int days = Integer.parseInt(tag);
            if (days >= 1) {
                return days;
            }
        }
        return config.retentionDays();
    }
}
