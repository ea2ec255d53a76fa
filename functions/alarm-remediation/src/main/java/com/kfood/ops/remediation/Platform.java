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
            Cooldown.History history) {}

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

    /** Null when the service does not exist (or is not active). */
    EcsService ecsService(String cluster, String service);

    /** Keeps the guard rails' history on the service itself. */
    void recordEcs(EcsService service, Cooldown.History history);

    /** Starts a new deployment; says which. */
    String forceNewDeployment(EcsService service);

    void setDesiredCount(EcsService service, int desired);

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
