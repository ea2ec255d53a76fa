package com.kfood.ops.report;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.PendingMaintenanceAction;
import software.amazon.awssdk.services.rds.model.ResourcePendingMaintenanceActions;
import software.amazon.awssdk.services.rds.model.UpgradeTarget;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.InvalidAccessException;

/**
 * Maintenance and security: RDS pending maintenance actions and how many minor engine versions each
 * database is behind, and Security Hub's active findings by severity (or "not enabled").
 */
final class MaintenanceSource extends Source {
    /** Findings read at most (100 a page): enough to count; more is said as "at least". */
    static final int MAX_FINDINGS = 1000;

    private final List<String> dbs;
    private final ReportReads reads;
    private final Databases databases;
    private final boolean securityHub;

    /** {@code securityHub}: the configuration reads Security Hub's findings (SECURITY_HUB). */
    MaintenanceSource(List<String> dbs, ReportReads reads, Databases databases, boolean securityHub) {
        super("maintenance", "Maintenance and security", EnumSet.of(ReportKind.WEEKLY, ReportKind.MONTHLY));
        this.dbs = dbs;
        this.reads = reads;
        this.databases = databases;
        this.securityHub = securityHub;
    }

    @Override
    Section build(Metrics metrics) {
        Section.Builder section = new Section.Builder(key(), title());
        for (String db : dbs) {
            try {
                DBInstance instance = databases.describe(db);
                pending(section, db, instance.dbInstanceArn());
                versions(section, db, instance);
            } catch (RuntimeException e) {
                section.item(Item.unavailable("RDS " + db, Problems.describe(e)));
            }
        }
        findings(section);
        return section.build();
    }

    private void pending(Section.Builder section, String db, String arn) {
        try {
            List<PendingMaintenanceAction> actions = reads.pendingMaintenance(arn).stream()
                    .map(ResourcePendingMaintenanceActions::pendingMaintenanceActionDetails)
                    .flatMap(List::stream)
                    .toList();
            String what = actions.isEmpty()
                    ? "none"
                    : actions.size() + ": "
                            + String.join(
                                    ", ",
                                    actions.stream()
                                            .map(a -> a.action()
                                                    + (a.autoAppliedAfterDate() != null
                                                            ? " (applied after "
                                                                    + a.autoAppliedAfterDate()
                                                                            .toString()
                                                                            .substring(0, 10)
                                                                    + ")"
                                                            : ""))
                                            .toList());
            section.item(new Item(
                            "pending maintenance " + db,
                            what,
                            "",
                            actions.isEmpty() ? Verdict.OK : Verdict.WATCH,
                            "",
                            null)
                    .number("pendingActions", actions.size()));
        } catch (RuntimeException e) {
            section.item(Item.unavailable("pending maintenance " + db, Problems.describe(e)));
        }
    }

    private void versions(Section.Builder section, String db, DBInstance instance) {
        try {
            List<UpgradeTarget> targets = reads.engineVersions(instance.engine(), instance.engineVersion()).stream()
                    .flatMap(v -> v.validUpgradeTarget().stream())
                    .filter(t -> !Boolean.TRUE.equals(t.isMajorVersionUpgrade()))
                    .toList();
            String newest = targets.stream()
                    .map(UpgradeTarget::engineVersion)
                    .reduce((a, b) -> b)
                    .orElse(instance.engineVersion());
            Verdict v = targets.size() >= 3 ? Verdict.WATCH : Verdict.OK;
            section.item(new Item(
                            "engine " + db,
                            instance.engine() + " " + instance.engineVersion() + ", " + targets.size()
                                    + " minor version(s) behind"
                                    + (targets.isEmpty() ? "" : " (newest " + newest + ")"),
                            "",
                            v,
                            "",
                            null)
                    .number("minorVersionsBehind", targets.size()));
            if (v == Verdict.WATCH) {
                section.action("RDS " + db + " is " + targets.size() + " minor versions behind: plan the upgrade to "
                        + newest);
            }
        } catch (RuntimeException e) {
            section.item(Item.unavailable("engine " + db, Problems.describe(e)));
        }
    }

    private void findings(Section.Builder section) {
        if (!securityHub) {
            section.item(Item.of("Security Hub findings", "not read (SECURITY_HUB is false)", Verdict.OK));
            return;
        }
        Map<String, Integer> bySeverity = new TreeMap<>();
        int read = 0;
        try {
            for (AwsSecurityFinding f : reads.activeFindings(MAX_FINDINGS)) {
                String label = f.severity() == null || f.severity().labelAsString() == null
                        ? "UNKNOWN"
                        : f.severity().labelAsString();
                bySeverity.merge(label, 1, Integer::sum);
                read++;
            }
        } catch (InvalidAccessException e) {
            section.item(Item.of("Security Hub findings", "not enabled in this account and region", Verdict.OK));
            return;
        } catch (RuntimeException e) {
            section.item(Item.unavailable("Security Hub findings", Problems.describe(e)));
            return;
        }
        int critical = bySeverity.getOrDefault("CRITICAL", 0);
        int high = bySeverity.getOrDefault("HIGH", 0);
        Verdict v = critical > 0 ? Verdict.ACT : high > 0 ? Verdict.WATCH : Verdict.OK;
        StringBuilder text = new StringBuilder();
        for (String s : List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL")) {
            text.append(text.isEmpty() ? "" : ", ")
                    .append(bySeverity.getOrDefault(s, 0))
                    .append(' ')
                    .append(s.toLowerCase(Locale.ROOT));
        }
        Item item = new Item(
                "Security Hub active findings", (read >= MAX_FINDINGS ? "at least " : "") + text, "", v, "", null);
        for (var e : bySeverity.entrySet()) {
            item = item.number(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        section.item(item);
        if (critical > 0) {
            section.action(critical + " critical Security Hub finding(s) are open: triage them today");
        }
    }
}
