package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Deadline;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.OpsLog;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One scratch instance's way through a drill, decided from what RDS says of it now and from its
 * tags (which hold the drill's state): wait while it is created, validate it once it is available,
 * then delete it and keep its result; an expired or failed restore is torn down with its reason; a
 * deletion RDS refused is asked again. Any event or look of the watchdog may come twice or late.
 */
final class ScratchInstance {
    static final String TAG_MANAGED_BY = "ManagedBy";
    static final String TAG_RUN = "kfood-ops:drill";
    static final String TAG_EXPIRES = "kfood-ops:expires";
    static final String TAG_DB = "kfood-ops:drill-db";
    static final String TAG_SOURCE = "kfood-ops:drill-source";
    static final String TAG_SNAPSHOT_CREATED = "kfood-ops:snapshot-created";
    static final String TAG_RESTORE_STARTED = "kfood-ops:restore-started";
    static final String TAG_PHASE = "kfood-ops:phase";
    static final String TAG_AVAILABLE_AT = "kfood-ops:available-at";
    static final String TAG_MODE = "kfood-ops:drill-mode";
    /** A point-in-time drill's target time (a snapshot drill has the snapshot's creation instead). */
    static final String TAG_RESTORE_TO = "kfood-ops:restore-to";
    /** The phase of an instance validated and reported whose deletion RDS refused. */
    static final String DELETE_PENDING = "delete-pending";

    /** RDS bills at least ten minutes of an instance. */
    private static final Duration MINIMUM_BILLED = Duration.ofMinutes(10);
    /** A validation that has not finished in this long crashed; the next look may retry it. */
    private static final Duration VALIDATION_STUCK = Duration.ofMinutes(20);

    private static final Set<String> FAILED_STATES = Set.of(
            "failed",
            "incompatible-restore",
            "incompatible-parameters",
            "incompatible-network",
            "incompatible-option-group",
            "restore-error",
            "storage-full",
            "inaccessible-encryption-credentials");

    private final DrillConfig config;
    private final DrillPlatform platform;
    private final RestoreDrill.Connector connector;
    private final DrillLedger ledger;
    private final OpsLog log;

    ScratchInstance(
            DrillConfig config,
            DrillPlatform platform,
            RestoreDrill.Connector connector,
            DrillLedger ledger,
            OpsLog log) {
        this.config = config;
        this.platform = platform;
        this.connector = connector;
        this.ledger = ledger;
        this.log = log;
    }

    boolean isOurs(DrillPlatform.Instance i) {
        return i.id().startsWith(config.instancePrefix())
                && config.managedBy().equals(i.tags().get(TAG_MANAGED_BY))
                && i.tags().get(TAG_RUN) != null
                && i.tags().get(TAG_DB) != null;
    }

    /** The next step for an instance, as seen at {@code observedAt} by an RDS event or the watchdog. */
    RestoreDrill.DrillResult advance(DrillPlatform.Instance i, Instant observedAt, String via, Deadline budget) {
        if (!isOurs(i)) {
            log.warn("not a drill instance of this stack: left alone", "instance", i.id());
            return event(null, "not ours: left alone", DrillLine.Said.instance(i.id(), null));
        }
        Instant now = ledger.now();
        if ("deleting".equals(i.status())) {
            return waiting(i, "instance being deleted"); // RDS's events after a teardown: nothing left to do
        }
        if (DELETE_PENDING.equals(i.tags().get(TAG_PHASE))) {
            return retryDelete(i); // validated and reported already: only the deletion is owed
        }
        Optional<Instant> expires = time(i, TAG_EXPIRES);
        if (expires.isEmpty() || !now.isBefore(expires.get())) {
            return teardown(
                    i, failure(i, "expired before it was validated (status " + i.status() + ")", via), "expired");
        }
        String status = i.status() == null ? "unknown" : i.status();
        if (FAILED_STATES.contains(status)) {
            return teardown(i, failure(i, "the restore failed: instance status " + status, via), "restore failed");
        }
        if (!"available".equals(status)) {
            return waiting(i, "instance " + status);
        }
        if (i.secretArn() == null || !"active".equals(i.secretStatus())) {
            return waiting(i, "master secret " + (i.secretStatus() == null ? "missing" : i.secretStatus()));
        }
        Optional<Instant> validating = time(i, TAG_AVAILABLE_AT);
        if ("validating".equals(i.tags().get(TAG_PHASE))
                && validating.isPresent()
                && now.isBefore(validating.get().plus(VALIDATION_STUCK))) {
            return waiting(i, "being validated by another invocation");
        }
        // RDS's time for the event, within what can be true: after the restore call, not after now
        Instant started = time(i, TAG_RESTORE_STARTED).orElse(now);
        Instant availableAt =
                validating.orElse(observedAt.isBefore(started) ? started : observedAt.isAfter(now) ? now : observedAt);
        platform.tag(i, Map.of(TAG_PHASE, "validating", TAG_AVAILABLE_AT, availableAt.toString()));
        DbResult result = validate(i, availableAt, via, budget);
        return teardown(i, result, result.outcome());
    }

    private RestoreDrill.DrillResult waiting(DrillPlatform.Instance i, String what) {
        log.info("drill waiting", "instance", i.id(), "for", what);
        return event(i.tags().get(TAG_RUN), "waiting: " + what, DrillLine.Said.instance(i.id(), null));
    }

    private static RestoreDrill.DrillResult event(String runId, String outcome, DrillLine line) {
        return new RestoreDrill.DrillResult("event", runId, false, outcome, List.of(line));
    }

    private DbResult validate(DrillPlatform.Instance i, Instant availableAt, String via, Deadline budget) {
        Instant started = time(i, TAG_RESTORE_STARTED).orElse(availableAt);
        Optional<Instant> restoreTo = time(i, TAG_RESTORE_TO);
        Validation.RecoveryPoint point = new Validation.RecoveryPoint(
                restoreTo.orElseGet(() -> time(i, TAG_SNAPSHOT_CREATED).orElse(started)), restoreTo.isPresent());
        String target = config.localEndpoint().orElse(i.host() + ":" + i.port());
        Validation.Outcome outcome;
        try (Connection c = connector.connect(connection(i, target))) {
            outcome = new Validation(config, budget).run(c, point);
        } catch (SQLException | RuntimeException e) {
            outcome = new Validation.Outcome(
                    List.of(new Validation.Step("connect", false, Errors.describe(e), null)), null, null, null);
        }
        Instant validatedAt = ledger.now();
        DbResult.Checked checked = new DbResult.Checked(
                availableAt.toString(),
                validatedAt.toString(),
                minutes(Duration.between(started, availableAt)),
                minutes(Duration.between(started, validatedAt)),
                outcome.dataLagMinutes(),
                outcome.lagSeconds(),
                outcome.newestRow() == null ? null : outcome.newestRow().toString(),
                config.localEndpoint().isPresent() ? "local PostgreSQL " + target + " (emulator)" : target,
                outcome.steps());
        String failure = outcome.passed() ? null : outcome.firstFailure();
        return result(i, via, outcome.passed() ? "PASS" : "FAIL", failure, checked);
    }

    /** Where the validation connects, with the master credentials RDS keeps in its secret. */
    private JsonNode connection(DrillPlatform.Instance i, String target) {
        JsonNode secret = platform.masterSecret(i.secretArn());
        if (config.localEndpoint().isPresent()) {
            log.info(
                    "emulator: validating against the local PostgreSQL, not the restored endpoint", "endpoint", target);
        }
        return Json.object()
                .put("host", target.substring(0, target.lastIndexOf(':')))
                .put("port", target.substring(target.lastIndexOf(':') + 1))
                .put("dbname", config.database())
                .put("username", secret.path("username").asText(""))
                .put("password", secret.path("password").asText(""));
    }

    private DbResult failure(DrillPlatform.Instance i, String why, String via) {
        return result(i, via, "FAIL", why, null);
    }

    private DbResult result(
            DrillPlatform.Instance i, String via, String outcome, String failure, DbResult.Checked checked) {
        Double age = time(i, TAG_SNAPSHOT_CREATED)
                .flatMap(created -> time(i, TAG_RESTORE_STARTED).map(s -> hours(Duration.between(created, s))))
                .orElse(null);
        boolean pointInTime = i.tags().get(TAG_RESTORE_TO) != null;
        DbResult.Source source = new DbResult.Source(
                pointInTime ? null : i.tags().get(TAG_SOURCE),
                pointInTime ? i.tags().get(TAG_SOURCE) : null,
                i.tags().get(TAG_SNAPSHOT_CREATED),
                i.tags().get(TAG_RESTORE_TO),
                i.tags().get(TAG_RESTORE_STARTED),
                age);
        return new DbResult(
                i.tags().get(TAG_DB),
                i.tags().get(TAG_RUN),
                DrillMode.ofRecorded(i.tags().get(TAG_MODE)).id(),
                i.id(),
                source,
                via,
                outcome,
                failure,
                checked,
                null);
    }

    private RestoreDrill.DrillResult teardown(DrillPlatform.Instance i, DbResult result, String outcome) {
        Optional<String> refused = platform.delete(i.id());
        String source = i.tags().get(TAG_SOURCE);
        // a snapshot's restore releases the snapshot; a point-in-time one read no snapshot of ours
        if (source != null
                && i.tags().get(TAG_RESTORE_TO) == null
                && i.arn() != null
                && i.arn().contains(":db:")) {
            release(i.arn().substring(0, i.arn().indexOf(":db:")) + ":snapshot:" + source);
        }
        Instant end = ledger.now();
        Duration billed = time(i, TAG_RESTORE_STARTED)
                .map(s -> Duration.between(s, end))
                .filter(d -> d.compareTo(MINIMUM_BILLED) > 0)
                .orElse(MINIMUM_BILLED);
        if (refused.isPresent()) {
            markDeletePending(i); // RDS would not delete it now (its state): said so, marked, and the watchdog retries
        }
        DbResult done = result.with(new DbResult.Teardown(
                refused.map(r -> "delete pending, the watchdog retries: " + r).orElse(null),
                refused.isPresent() ? null : end.toString(),
                hours(billed),
                config.hourlyPriceUsd()
                        .multiply(BigDecimal.valueOf(billed.toSeconds()))
                        .divide(BigDecimal.valueOf(3600), 2, RoundingMode.UP)));
        log.info(
                refused.isPresent() ? "drill instance delete pending" : "drill instance deleted",
                "instance",
                i.id(),
                "outcome",
                done.outcome());
        ledger.record(done);
        return event(done.runId(), outcome, done);
    }

    private void markDeletePending(DrillPlatform.Instance i) {
        try {
            platform.tag(i, Map.of(TAG_PHASE, DELETE_PENDING));
        } catch (RuntimeException e) {
            // untagged, the watchdog finds it expired and deletes it then
            log.warn("could not mark the instance delete-pending", "instance", i.id(), "error", Errors.describe(e));
        }
    }

    /** A drill instance whose result is reported but whose deletion RDS refused: asked again. */
    private RestoreDrill.DrillResult retryDelete(DrillPlatform.Instance i) {
        Optional<String> refused = platform.delete(i.id());
        String outcome = refused.map(r -> "delete pending, the watchdog retries: " + r)
                .orElse("deleted (its result was reported earlier)");
        log.info("drill instance delete retried", "instance", i.id(), "outcome", outcome);
        return event(i.tags().get(TAG_RUN), outcome, DrillLine.Said.instance(i.id(), null));
    }

    /** Removes the drill's mark from a snapshot; the mark expires by itself, so a failure only warns. */
    void release(String snapshotArn) {
        try {
            platform.release(snapshotArn);
        } catch (RuntimeException e) {
            log.warn(
                    "could not remove the drill mark from the snapshot",
                    "snapshot",
                    snapshotArn,
                    "error",
                    Errors.describe(e));
        }
    }

    private static Optional<Instant> time(DrillPlatform.Instance i, String tag) {
        return DrillLedger.time(i.tags().get(tag));
    }

    private static double minutes(Duration d) {
        return Math.round(d.toSeconds() / 6.0) / 10.0;
    }

    static double hours(Duration d) {
        return Math.round(d.toMinutes() / 6.0) / 10.0;
    }
}
