package com.kfood.ops.drill;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a drill restores. {@code snapshot}: the newest manual snapshot, in the home region.
 * {@code pointInTime}: the source instance's automated backups to a point in time (the recovery
 * after a bad delete). {@code drRegion}: the newest copy in the DR region, restored there (the
 * recovery after the home region is lost). Each mode has its own run and report; its instance name
 * ends with its suffix, so modes started together never take each other's name.
 */
enum DrillMode {
    SNAPSHOT("snapshot", ""),
    POINT_IN_TIME("pointInTime", "-pitr"),
    DR_REGION("drRegion", "-dr");

    private final String id;
    private final String suffix;

    DrillMode(String id, String suffix) {
        this.id = id;
        this.suffix = suffix;
    }

    /** The name in events, parameters, tags and records. */
    String id() {
        return id;
    }

    /** What the mode's instance names and run ids end with (none for the snapshot drill, as before modes). */
    String suffix() {
        return suffix;
    }

    static Optional<DrillMode> of(String id) {
        return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
    }

    /** A mode named in a tag or record; none (the records before modes) is the snapshot drill. */
    static DrillMode ofRecorded(String id) {
        return id == null ? SNAPSHOT : of(id).orElse(SNAPSHOT);
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(DrillMode::id).toList());
    }
}
