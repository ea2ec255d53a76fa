package com.kfood.ops.prune;

import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.ManagedSnapshot;
import com.kfood.ops.shared.backup.RetentionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.AccountQuota;

/** What the retention leads to: each database's tiers, the region's snapshot quota, each backup's age. */
record Outlook(BackupConfig config, RetentionPolicy policy) {
    private static final double QUOTA_WARN_AT = 0.8;

    /** Per database: ours kept by each tier now, and the steady state the tiers lead to. */
    List<PruneResult.Tiers> tiers(List<RetentionPolicy.Verdict> verdicts, Instant now) {
        int steady = policy.steadyState(now);
        List<PruneResult.Tiers> out = new ArrayList<>();
        for (String db : config.dbInstanceIds()) {
            Map<String, Integer> by = new HashMap<>();
            int keptNow = 0;
            for (RetentionPolicy.Verdict v : verdicts) {
                if (v.snapshot().db().equals(db) && !v.delete() && !v.keptBy().isEmpty()) {
                    keptNow++;
                    v.keptBy().forEach(t -> by.merge(t, 1, Integer::sum));
                }
            }
            out.add(new PruneResult.Tiers(
                    db,
                    by.getOrDefault("daily", 0),
                    by.getOrDefault("weekly", 0),
                    by.getOrDefault("monthly", 0),
                    by.getOrDefault("floor", 0),
                    keptNow,
                    steady));
        }
        return out;
    }

    /**
     * The region's manual snapshots once the tiers are full: what is not ours stays as it is now (a
     * person's, another stack's, copies), ours become each database's steady state. Warned from 80 %
     * of the quota, before a snapshot fails.
     */
    PruneResult.QuotaOutlook quota(
            List<RetentionPolicy.Verdict> verdicts,
            List<PruneResult.Tiers> tiers,
            Future<Optional<AccountQuota>> quotaRead) {
        try {
            var read = Futures.join(quotaRead, "the snapshot quota");
            if (read.isEmpty()) {
                return new PruneResult.QuotaOutlook(
                        PruneResult.QuotaOutlook.Status.UNKNOWN,
                        null,
                        null,
                        null,
                        "RDS reported no ManualSnapshots quota");
            }
            long used = read.get().used();
            long max = read.get().max();
            long ours =
                    verdicts.stream().filter(v -> policy.isOurs(v.snapshot())).count();
            long steady = Math.max(0, used - ours)
                    + tiers.stream().mapToLong(PruneResult.Tiers::steadyState).sum();
            boolean warn = max == 0 || steady >= QUOTA_WARN_AT * max;
            return new PruneResult.QuotaOutlook(
                    warn ? PruneResult.QuotaOutlook.Status.WARNING : PruneResult.QuotaOutlook.Status.OK,
                    used,
                    max,
                    steady,
                    String.format(
                            "%d of %d manual snapshots now; %d once the tiers are full (%.0f%%)%s",
                            used,
                            max,
                            steady,
                            max == 0 ? 100.0 : 100.0 * steady / max,
                            warn ? ": shorten a tier or raise the quota before a snapshot fails" : ""));
        } catch (SdkException e) {
            return new PruneResult.QuotaOutlook(
                    PruneResult.QuotaOutlook.Status.UNKNOWN, null, null, null, "quota unknown: " + Errors.describe(e));
        }
    }

    List<PruneResult.Freshness> freshness(
            List<ManagedSnapshot> snapshots,
            Set<String> existing,
            Instant now,
            RetentionPolicy judge,
            Duration maxAge) {
        List<PruneResult.Freshness> out = new ArrayList<>();
        for (String db : config.dbInstanceIds()) {
            if (!existing.contains(db)) {
                out.add(new PruneResult.Freshness(db, PruneResult.Freshness.Status.DATABASE_NOT_FOUND, null, null));
                continue;
            }
            var newest = snapshots.stream()
                    .filter(s -> s.db().equals(db)
                            && "available".equals(s.status())
                            && judge.isOurs(s)
                            && s.created() != null)
                    .max(Comparator.comparing(ManagedSnapshot::created));
            if (newest.isEmpty()) {
                out.add(new PruneResult.Freshness(db, PruneResult.Freshness.Status.MISSING, null, null));
                continue;
            }
            Duration age = Duration.between(newest.get().created(), now);
            double hours = Math.round(age.toMinutes() / 6.0) / 10.0;
            out.add(new PruneResult.Freshness(
                    db,
                    age.compareTo(maxAge) > 0 ? PruneResult.Freshness.Status.STALE : PruneResult.Freshness.Status.FRESH,
                    newest.get().id(),
                    hours));
        }
        return out;
    }
}
