package com.kfood.ops.remediation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The platform as the runbooks see and change it: ECS services, RDS instances, metrics, alarm history. */
public interface Platform {
    /** An ECS service with what the guard rails need. */
    record EcsService(
            String arn,
            String cluster,
            String name,
            int desired,
            int running,
            String deploymentInProgress,
            String taskDefinition,
            Cooldown.History history,
            Integer minimumSet) {}

    /**
     * The service's Application Auto Scaling target, with the minimum this function holds raised, if
     * it holds one.
     */
    record ScalableTarget(String resourceId, int min, int max, Hold hold) {}

    /**
     * A raised minimum: autoscaling's own scheduled action puts {@code originalMin} back at {@code
     * until}; {@code setTo} is the minimum this function set (null for a hold it did not record), so a
     * minimum a person changed since is told apart from ours.
     */
    record Hold(int originalMin, Instant until, Integer setTo) {}

    /** The newest ERROR lines of a service's log group in a window, masked; {@code matched} counts all. */
    record ErrorLines(String logGroup, int matched, List<String> newest) {}

    /** An RDS instance with what the guard rails and the diagnosis need. */
    record Database(
            String arn,
            String id,
            String status,
            boolean multiAz,
            String instanceClass,
            String engine,
            String availabilityZone,
            Cooldown.History history) {}

    /** An alarm as CloudWatch holds it now (a message about it may be forged, late or replayed). */
    record AlarmNow(String name, String arn, String state) {}

    /** The metric or composite alarm of that name as CloudWatch has it now; null when there is none. */
    AlarmNow alarmNow(String name);

    /** Null when the service does not exist (or is not active). */
    EcsService ecsService(String cluster, String service);

    /** Keeps the guard rails' history on the service itself. */
    void recordEcs(EcsService service, Cooldown.History history);

    /** Starts a new deployment; returns its id (null when ECS did not say). */
    String forceNewDeployment(EcsService service);

    void setDesiredCount(EcsService service, int desired);

    /** The service's scalable target; null when autoscaling does not manage it. */
    ScalableTarget scalableTarget(EcsService service);

    /**
     * Raises the minimum to {@code raisedTo} until {@code until}: first autoscaling's scheduled action
     * that restores {@code originalMin} then, so a crash after it can never leave the minimum raised;
     * then the value set is recorded on the service; then the minimum is raised.
     */
    void holdMinimum(EcsService service, ScalableTarget target, int raisedTo, int originalMin, Instant until);

    /**
     * Ends the hold: the minimum put back to the original when {@code putBack} (and it is not already),
     * the scheduled restore and the record removed. Without {@code putBack} the minimum is left as it
     * is (a person set it), and nothing of ours will change it later.
     */
    void restoreMinimum(EcsService service, ScalableTarget target, boolean putBack);

    /** The service's ERROR log lines in the window: at most {@code max}, newest last. */
    ErrorLines recentErrors(EcsService service, Instant from, Instant to, int max);

    /** Null when the database does not exist. */
    Database database(String id);

    /** The database's RDS events in the window, oldest first, as {@code HH:mm message}. */
    List<String> recentDatabaseEvents(String id, Duration window);

    /** Keeps the guard rails' history on the database itself. */
    void recordDatabase(Database db, Cooldown.History history);

    void reboot(Database db);

    /** The metric's last ten values in the window, oldest first, as {@code HH:mm value}. */
    List<String> datapoints(AlarmChange.MetricRef metric, Instant now, Duration window);

    /** When the alarm last went into ALARM before {@code before}, from its history; null when not found. */
    Instant alarmStart(String alarmName, Instant before);

    /** Each call the runbooks make, for SnapStart priming (stopped before sending). */
    Runnable[] primingCalls();
}
