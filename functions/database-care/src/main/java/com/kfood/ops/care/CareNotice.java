package com.kfood.ops.care;

import com.kfood.ops.shared.Notification;
import com.kfood.ops.shared.Severity;
import com.kfood.ops.shared.Text;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What database care's notification says: partitions made or due, each finding, the numbers. */
final class CareNotice {
    private CareNotice() {}

    static Notification of(DatabaseCare.CareResult r) {
        boolean act = r.findings().stream().anyMatch(f -> f.level() == Finding.Level.ACT);
        boolean watch = r.findings().stream().anyMatch(f -> f.level() == Finding.Level.WATCH);
        int created = r.partitions().stream().mapToInt(t -> t.created().size()).sum();
        String title = (r.dryRun() ? "Dry run: database care" : "Database care") + " of " + r.database() + ": "
                + (r.dryRun()
                        ? r.partitions().stream()
                                        .mapToInt(t -> t.wouldCreate().size())
                                        .sum() + " partition(s) would be created"
                        : created + " partition(s) created")
                + (r.findings().isEmpty()
                        ? ", nothing wrong"
                        : ", " + r.findings().size() + " finding(s)");
        var n = Notification.builder(
                        act
                                ? Severity.CRITICAL
                                : watch ? Severity.WARNING : r.dryRun() ? Severity.INFO : Severity.SUCCESS,
                        "database.care",
                        title)
                .thread("database-care-" + r.ranAt().substring(0, 10));
        for (DatabaseCare.TableOutcome t : r.partitions()) {
            partitions(n, t, r.dryRun());
        }
        // numbered when a check has several findings (facts are keyed by their label); 800 characters: a
        // DEFAULT finding carries the statements that move its rows, which must not be cut
        Map<String, Integer> seen = new HashMap<>();
        r.findings().stream().limit(10).forEach(f -> {
            String label = f.level() + " " + f.check();
            int n2 = seen.merge(label, 1, Integer::sum);
            n.fact(n2 == 1 ? label : label + " (" + n2 + ")", Text.printable(f.what(), 800));
        });
        CareStats s = r.stats();
        n.fact("Connections", s.connections());
        n.fact(
                "Transaction-ID age",
                s.xidAge() + " (" + s.xidAgePercentOfFreezeMaxAge() + " % of autovacuum_freeze_max_age)");
        n.fact(
                "Size",
                s.sizeBytes() + " bytes; daily growth "
                        + (s.dailyGrowthBytes() == null
                                ? "not available: no size recorded 24 h ago"
                                : s.dailyGrowthBytes()));
        if (act) {
            n.nextStep("Act on the ACT findings today: a missing partition fails every insert of its period.");
        }
        return n.build();
    }

    /** A table's partitions: made or due, its DEFAULT, what its retention archived or would. */
    private static void partitions(Notification.Builder n, DatabaseCare.TableOutcome t, boolean dryRun) {
        List<String> made = dryRun ? t.wouldCreate() : t.created();
        n.fact(
                "Partitions of " + t.table(),
                (made.isEmpty() ? "none " + (dryRun ? "to create" : "created") : String.join(", ", made)) + "; "
                        + t.daysAhead() + " days ahead; managed by " + t.managedBy()
                        + (t.defaultPartition() == null
                                ? "; no DEFAULT partition"
                                : "; DEFAULT " + t.defaultPartition()));
        if (!t.archived().isEmpty()) {
            n.fact("Archived and dropped from " + t.table(), String.join("; ", t.archived()));
        }
        if (!t.wouldArchive().isEmpty()) {
            n.fact(
                    "Would archive from " + t.table(),
                    String.join("; ", t.wouldArchive())
                            + (dryRun ? "" : " (retain's first run only lists: the next run archives them)"));
        }
    }
}
