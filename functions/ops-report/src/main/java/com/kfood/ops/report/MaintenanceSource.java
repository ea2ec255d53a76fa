package com.kfood.ops.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.PendingMaintenanceAction;
import software.amazon.awssdk.services.rds.model.ResourcePendingMaintenanceActions;
import software.amazon.awssdk.services.rds.model.UpgradeTarget;

/**
 * Maintenance and security, the plan's weekly "security updates" for the whole stack: RDS pending
 * maintenance and minor versions behind; the images the services run with their scan findings (and
 * the month's trend); ElastiCache's service updates, the Fargate platform and the functions'
 * runtime; the platform's secrets' rotation; Security Hub's findings and failing controls.
 */
final class MaintenanceSource extends Source {
    private final ReportConfig config;
    private final ReportReads reads;
    private final UpkeepReads upkeep;
    private final Databases databases;
    private final ReportPeriod period;
    private final Instant now;

    MaintenanceSource(
            ReportConfig config,
            ReportReads reads,
            UpkeepReads upkeep,
            Databases databases,
            ReportPeriod period,
            Instant now) {
        super("maintenance", "Maintenance and security", EnumSet.of(ReportKind.WEEKLY, ReportKind.MONTHLY));
        this.config = config;
        this.reads = reads;
        this.upkeep = upkeep;
        this.databases = databases;
        this.period = period;
        this.now = now;
    }

    @Override
    Section build(Metrics metrics) {
        Section.Builder section = new Section.Builder(key(), title());
        for (String db : config.backup().dbInstanceIds()) {
            try {
                DBInstance instance = databases.describe(db);
                pending(section, db, instance.dbInstanceArn());
                versions(section, db, instance);
            } catch (RuntimeException e) {
                section.item(Item.unavailable("RDS " + db, Problems.describe(e)));
            }
        }
        PreviousReport previous = new PreviousReport(reads, config.reportsBucket(), period);
        List<ServiceRun> runs = services(section);
        images(section, runs, previous);
        PlatformUpdates updates = new PlatformUpdates(upkeep, config.upkeep(), now);
        section.item(updates.cacheUpdates(config.cacheClusterIds()));
        runs.forEach(r -> section.item(updates.platform(r)));
        section.item(updates.runtime());
        new SecretRotation(upkeep, config.upkeep(), now).items().forEach(section::item);
        logs(section);
        new SecurityHubFindings(reads, config.securityHub(), previous).addTo(section);
        return section.build();
    }

    /** The services and their running tasks, read once for the images and the platform. */
    private List<ServiceRun> services(Section.Builder section) {
        List<ServiceRun> runs = new ArrayList<>();
        try {
            for (Service s : reads.services(config.ecsCluster(), config.services())) {
                runs.add(new ServiceRun(s, upkeep.runningTasks(config.ecsCluster(), s.serviceName())));
            }
        } catch (RuntimeException e) {
            section.item(Item.unavailable("images and platform of the services", Problems.describe(e)));
        }
        return runs;
    }

    /** The week's view of the daily "logs alive": a log router that died shows here too. */
    private void logs(Section.Builder section) {
        LogLiveness liveness = new LogLiveness(upkeep, config.upkeep(), now);
        try {
            List<LogLiveness.Group> groups = liveness.judge(
                    reads.logGroups(config.platformLogGroupPrefix(), 50).logGroups());
            section.item(liveness.summary(groups));
            groups.stream()
                    .filter(LogLiveness.Group::silent)
                    .forEach(g -> section.item(liveness.item(g, period.zone())));
        } catch (RuntimeException e) {
            section.item(Item.unavailable("log groups alive", Problems.describe(e)));
        }
    }

    private void images(Section.Builder section, List<ServiceRun> runs, PreviousReport previous) {
        ImageFindings findings = new ImageFindings(upkeep, config.upkeep(), now);
        String engine = findings.engine();
        List<Item> items = new ArrayList<>();
        for (ServiceRun run : runs) {
            try {
                findings.images(run).forEach(image -> items.add(findings.item(image, engine)));
            } catch (RuntimeException e) {
                items.add(Item.unavailable("images " + run.name(), Problems.describe(e)));
            }
        }
        items.forEach(section::item);
        items.stream()
                .filter(i -> i.verdict() == Verdict.ACT)
                .forEach(i -> section.action(i.label() + " has critical findings (" + i.value()
                        + "): rebuild it on a patched base image and deploy"));
        if (period.kind() == ReportKind.MONTHLY) {
            ImageFindings.trend(items, previous).forEach(section::item);
        }
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
}
