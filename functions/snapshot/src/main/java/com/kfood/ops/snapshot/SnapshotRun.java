package com.kfood.ops.snapshot;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import com.kfood.ops.shared.ScheduleTrigger;
import com.kfood.ops.shared.backup.BackupConfig;
import com.kfood.ops.shared.backup.SnapshotTags;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * One backup run: the databases checked, then the snapshots and, with a DR region, the catch-up of
 * copies there, while the uploads copy runs beside them (RDS and S3 do not wait for each other); then
 * one notification and the metrics. RDS's "manual snapshot created" event (EventBridge) starts
 * that snapshot's copy as soon as it is available.
 */
public final class SnapshotRun implements OpsFunction {
    private final BackupConfig config;
    private final SnapshotPlan plan;
    private final Optional<UploadsBackup> uploads;
    private final Optional<DrCopies> drCopies;
    private final Optional<UploadsRestore> restore;
    private final Optional<UploadsVerify> verify;
    private final Notifier notifier;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    /**
     * Runs the uploads copy and the listing of the DR region's copies while this thread takes the
     * snapshots; built once per instance.
     */
    private final ExecutorService alongside = Executors.newFixedThreadPool(2, Futures.daemonThreads("backup-run"));

    /** The run's parts: the snapshots always; the uploads, their restore and the DR copies when configured. */
    public record Parts(
            SnapshotPlan plan,
            Optional<UploadsBackup> uploads,
            Optional<DrCopies> drCopies,
            Optional<UploadsRestore> restore,
            Optional<UploadsVerify> verify) {
        /** The snapshots alone. */
        public static Parts snapshotsOnly(SnapshotPlan plan) {
            return new Parts(plan, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** Without the uploads' verification (the parts before it). */
        public Parts(
                SnapshotPlan plan,
                Optional<UploadsBackup> uploads,
                Optional<DrCopies> drCopies,
                Optional<UploadsRestore> restore) {
            this(plan, uploads, drCopies, restore, Optional.empty());
        }
    }

    public SnapshotRun(
            BackupConfig config, Parts parts, Notifier notifier, OpsMetrics metrics, OpsLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
        this.config = config;
        this.plan = parts.plan();
        this.uploads = parts.uploads();
        this.drCopies = parts.drCopies();
        this.restore = parts.restore();
        this.verify = parts.verify();
        this.notifier = notifier;
        this.metrics = metrics;
    }

    @Override
    public Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(plan.primingCalls()));
        uploads.ifPresent(u -> calls.addAll(List.of(u.primingCalls())));
        drCopies.ifPresent(d -> calls.addAll(List.of(d.primingCalls())));
        calls.add(notifier::prime);
        return calls.toArray(Runnable[]::new);
    }

    /** The schedule's event (or a manual one) to a run that stops before Lambda's deadline. */
    @Override
    public Object handle(JsonNode event, Context context) {
        if ("aws.rds".equals(event.path("source").asText())
                && "RDS DB Snapshot Event".equals(event.path("detail-type").asText())) {
            return snapshotEvent(event.path("detail"));
        }
        if ("restore-uploads".equals(event.path("action").asText())) {
            // by hand (./ops restore-uploads): a day's view of the uploads rebuilt from its manifest
            UploadsRestore r = restore.orElseThrow(() -> new InvalidEventException(
                    "restore-uploads needs the uploads backup (BACKUP_SOURCE_BUCKET and BACKUP_BUCKET)"));
            return r.run(
                    event.path("day").asText(null),
                    event.path("to").asText(null),
                    config.dryRun() || event.path("dryRun").asBoolean(false),
                    context == null ? Deadline.unlimited() : Deadline.of(context));
        }
        if ("verify-uploads".equals(event.path("action").asText())
                || "verify-uploads".equals(event.path("detail").path("action").asText())) {
            return verifyUploads(event.has("detail") ? event.path("detail") : event, context);
        }
        ScheduleTrigger trigger = ScheduleTrigger.parse(event, clock);
        log.info("backup run", "scheduledFor", trigger.scheduledFor().toString(), "trigger", trigger.source());
        return run(trigger, context == null ? Deadline.unlimited() : Deadline.of(context));
    }

    /**
     * The uploads backup read back (./ops verify-uploads, or the monthly schedule beside the restore
     * drill on the newest manifest): every version a manifest names, and a sample restored. A failure
     * is notified; a pass is kept for the report.
     */
    private UploadsVerify.Outcome verifyUploads(JsonNode request, Context context) {
        UploadsVerify v = verify.orElseThrow(() -> new InvalidEventException(
                "verify-uploads needs the uploads backup (BACKUP_SOURCE_BUCKET and BACKUP_BUCKET)"));
        JsonNode sample = request.path("sample");
        if (!sample.isMissingNode() && !sample.canConvertToInt()) {
            throw new InvalidEventException("\"sample\" must be a number of objects");
        }
        UploadsVerify.Outcome outcome = v.run(
                request.path("day").asText(null),
                sample.isMissingNode() ? 0 : sample.asInt(),
                !config.dryRun(),
                context == null ? Deadline.unlimited() : Deadline.of(context));
        metrics.count("UploadsVerificationFailures", "PASS".equals(outcome.status()) ? 0 : 1);
        if (!"PASS".equals(outcome.status())) {
            notifier.send(SnapshotNotice.verification(outcome));
        }
        return outcome;
    }

    /**
     * A snapshot of ours became available: its copy in the DR region starts now. Any other snapshot
     * event, or no DR region, changes nothing. Only a failed copy is notified.
     */
    private DrCopyResult snapshotEvent(JsonNode detail) {
        String id = detail.path("SourceIdentifier").asText("");
        boolean created = detail.path("EventID").asText("").endsWith("RDS-EVENT-0042")
                || detail.path("Message").asText("").startsWith("Manual snapshot created");
        if (drCopies.isEmpty() || !created || !SnapshotTags.isOurName(config.snapshotPrefix(), dbOf(id), id)) {
            return new DrCopyResult(
                    id, config.drRegion().orElse(null), List.of(), "not a new snapshot of ours to copy");
        }
        List<DrCopies.Copy> copies = drCopies.get().copy(id, config.dryRun(), clock.instant());
        record(copies);
        List<DrCopies.Copy> failed = copies.stream()
                .filter(c -> c.status() == DrCopies.Copy.Status.FAILED)
                .toList();
        if (!failed.isEmpty()) {
            notifier.send(SnapshotNotice.drCopyFailed(id, config.drRegion().orElseThrow(), failed.getFirst()));
        }
        return new DrCopyResult(id, config.drRegion().orElseThrow(), copies, "copy of a new snapshot");
    }

    /** The database of one of our snapshot ids ({@code <prefix>-<db>-YYYYMMDD-HHmm}), or "" when not one. */
    private String dbOf(String id) {
        return config.dbInstanceIds().stream()
                .filter(db -> SnapshotTags.isOurName(config.snapshotPrefix(), db, id))
                .findFirst()
                .orElse("");
    }

    private void record(List<DrCopies.Copy> copies) {
        metrics.count(
                "DrCopiesStarted",
                copies.stream()
                        .filter(c -> c.status() == DrCopies.Copy.Status.COPIED)
                        .count());
        metrics.count(
                "DrCopyFailures",
                copies.stream()
                        .filter(c -> c.status() == DrCopies.Copy.Status.FAILED)
                        .count());
    }

    public SnapshotRunResult run(ScheduleTrigger trigger, Deadline deadline) {
        boolean dryRun = config.dryRun() || trigger.dryRunRequested();
        Map<String, DBInstance> databases =
                plan.databases(); // a configuration error stops the run before anything changes
        Future<UploadsOutcome> copying =
                alongside.submit(() -> uploads.map(u -> u.run(trigger.scheduledFor(), dryRun, deadline))
                        .orElseGet(UploadsOutcome::notConfigured));
        Optional<Future<Map<String, DBSnapshot>>> drListing =
                drCopies.map(d -> alongside.submit(d::copiesInDr)); // the copies there need no new snapshot
        QuotaCheck quota;
        List<SnapshotOutcome> outcomes = new ArrayList<>();
        List<DrCopies.Copy> drCopied;
        try {
            quota = plan.quota(databases.size());
            for (DBInstance db : databases.values()) {
                outcomes.add(plan.snapshot(db, trigger.scheduledFor(), dryRun));
            }
            drCopied = catchUp(drListing, dryRun); // needs the snapshots, not the uploads: it runs while they copy
            drCopied = replicate(drCopied, databases.values(), dryRun);
        } catch (RuntimeException e) {
            try {
                Futures.join(copying, "the uploads copy"); // not abandoned half-way: a retry then finds it done
            } catch (RuntimeException copyFailure) {
                e.addSuppressed(copyFailure);
            }
            throw e;
        }
        UploadsOutcome copy = Futures.join(copying, "the uploads copy");
        record(outcomes, copy);
        boolean notified =
                notifier.send(SnapshotNotice.backup(config, trigger, dryRun, quota, outcomes, copy, drCopied));
        return new SnapshotRunResult(
                trigger.scheduledFor().toString(),
                trigger.source(),
                dryRun,
                quota,
                outcomes,
                copy,
                config.drRegion().orElse(null),
                drCopied.stream()
                        .filter(c -> c.status() != DrCopies.Copy.Status.ALREADY_COPIED)
                        .toList(),
                (int) drCopied.stream()
                        .filter(c -> c.status() == DrCopies.Copy.Status.ALREADY_COPIED)
                        .count(),
                notified);
    }

    /** The copies' lines, and then the automated backups' replication to the DR region, if asked for. */
    private List<DrCopies.Copy> replicate(
            List<DrCopies.Copy> copies, Collection<DBInstance> databases, boolean dryRun) {
        if (drCopies.isEmpty() || !config.replicateAutomatedBackups()) {
            return copies;
        }
        List<DrCopies.Copy> all = new ArrayList<>(copies);
        try {
            all.addAll(drCopies.get().replicateAutomatedBackups(databases, dryRun));
        } catch (SdkException e) {
            all.add(new DrCopies.Copy(
                    "automated backups",
                    DrCopies.Copy.Status.FAILED,
                    "cannot read the DR region's: " + Errors.describe(e)));
        }
        return all;
    }

    /** Copies the events missed (or that were not available yet), newest first, within RDS's limits. */
    private List<DrCopies.Copy> catchUp(Optional<Future<Map<String, DBSnapshot>>> drListing, boolean dryRun) {
        if (drCopies.isEmpty()) {
            return List.of();
        }
        try {
            List<DrCopies.Copy> copies = drCopies.get()
                    .catchUp(Futures.join(drListing.orElseThrow(), "the DR region's copies"), dryRun, clock.instant());
            record(copies);
            return copies;
        } catch (
                SdkException
                        e) { // the snapshots are taken: a DR pass that cannot list says so, and the next one catches up
            return List.of(new DrCopies.Copy("*", DrCopies.Copy.Status.FAILED, "catch-up pass: " + Errors.describe(e)));
        }
    }

    private void record(List<SnapshotOutcome> outcomes, UploadsOutcome copy) {
        metrics.count("SnapshotsCreated", SnapshotNotice.count(outcomes, SnapshotOutcome.Status.CREATED));
        metrics.count("SnapshotFailures", SnapshotNotice.count(outcomes, SnapshotOutcome.Status.FAILED));
        metrics.count("SnapshotsSkipped", SnapshotNotice.count(outcomes, SnapshotOutcome.Status.SKIPPED));
        if (copy.status() != UploadsOutcome.Status.NOT_CONFIGURED
                && copy.status() != UploadsOutcome.Status.WOULD_COPY) {
            metrics.count("ObjectsCopied", copy.copied());
            metrics.count("ObjectCopyFailures", copy.failed());
            metrics.put("BytesCopied", copy.bytesCopied(), OpsMetrics.Unit.BYTES, Map.of());
        }
    }
}
