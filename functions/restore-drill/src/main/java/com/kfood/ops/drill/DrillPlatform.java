package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The RDS and Secrets Manager calls a drill makes; tests implement it, {@link AwsDrillPlatform} calls AWS. */
interface DrillPlatform {
    /** Each call of a drill, for SnapStart priming (stopped before sending). */
    default Runnable[] primingCalls() {
        return new Runnable[0];
    }

    /** A snapshot a drill can restore: this stack's, manual and available. */
    record SourceSnapshot(String id, String arn, String db, Instant created) {}

    /** A drill instance as RDS describes it, tags included (they hold the drill's state). */
    record Instance(
            String id,
            String arn,
            String status,
            Map<String, String> tags,
            String host,
            Integer port,
            String secretArn,
            String secretStatus) {}

    /** The times a database's automated backups can restore to, as RDS says now. */
    record RestorableWindow(Instant earliest, Instant latest) {}

    /**
     * What a restore asks RDS for: every setting, so a dry run can show it. {@code source} is the
     * snapshot restored or, with a {@code restoreTime}, the instance whose automated backups are
     * restored to that time.
     */
    record RestorePlan(
            String instanceId,
            String source,
            Instant restoreTime,
            String instanceClass,
            String subnetGroup,
            List<String> securityGroupIds,
            Map<String, String> tags) {}

    /** Thrown by {@link #restore} when an instance of that name exists already. */
    final class InstanceExists extends RuntimeException {
        InstanceExists(String id) {
            super("a DB instance named " + id + " exists already");
        }
    }

    /** The newest snapshot of {@code db} that this stack manages (one describe, paged). */
    Optional<SourceSnapshot> newestSnapshot(String db);

    /**
     * The span {@code db}'s automated backups restore to: from its earliest restorable time (its
     * creation or the retention period back, whichever is later) to {@code LatestRestorableTime};
     * empty when there is no such database or it keeps no automated backups.
     */
    Optional<RestorableWindow> restorableWindow(String db);

    /** Marks the snapshot as used by a drill until {@code until} (the prune keeps it). */
    void protect(SourceSnapshot snapshot, Instant until);

    /** Removes the drill's mark from the snapshot. */
    void release(String snapshotArn);

    /** Starts the restore (from a snapshot, or to a point in time); RDS keeps a fresh master password in a secret of its own. */
    Instance restore(RestorePlan plan);

    Optional<Instance> instance(String id);

    /** Every instance whose name starts with {@code prefix} (ownership is the caller's check, by tags). */
    List<Instance> instancesNamed(String prefix);

    void tag(Instance instance, Map<String, String> tags);

    /**
     * Deletes without a final snapshot and with its automated backups: a drill's copy keeps nothing.
     * Returns why RDS refused (the instance is in a state it will not delete from), or empty when the
     * deletion was accepted or the instance is already gone or being deleted.
     */
    Optional<String> delete(String instanceId);

    /** The RDS-managed master secret of a drill instance ({@code username}, {@code password}). */
    JsonNode masterSecret(String secretArn);
}
