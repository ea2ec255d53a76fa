package com.kfood.ops.shared.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.kfood.ops.shared.Env;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-26T19:30:00Z");
    private final BackupConfig config = BackupConfig.from(Env.of(
            Map.of("DB_INSTANCE_IDS", "kfood-db,kfood-db-2", "STACK_NAME", "kfood-ops", "MIN_SNAPSHOTS_KEPT", "2")));
    private final RetentionPolicy policy = new RetentionPolicy(config);

    private static ManagedSnapshot ours(String db, int daysOld) {
        Instant created = NOW.minus(Duration.ofDays(daysOld)).minusSeconds(60);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")
                .withZone(ZoneOffset.UTC)
                .format(created);
        return new ManagedSnapshot(
                "kfood-ops-" + db + "-" + stamp,
                db,
                "manual",
                "available",
                created,
                100,
                Map.of("ManagedBy", "kfood-ops"));
    }

    private static ManagedSnapshot with(
            ManagedSnapshot s, String id, String db, String type, String status, Map<String, String> tags) {
        return new ManagedSnapshot(
                id == null ? s.id() : id,
                db == null ? s.db() : db,
                type == null ? s.type() : type,
                status == null ? s.status() : status,
                s.created(),
                s.allocatedGb(),
                tags == null ? s.tags() : tags);
    }

    private Map<String, RetentionPolicy.Reason> judge(List<ManagedSnapshot> snapshots) {
        Map<String, RetentionPolicy.Reason> out = new HashMap<>();
        policy.judge(snapshots, NOW).forEach(v -> out.put(v.snapshot().id(), v.reason()));
        return out;
    }

    @Test
    void aSnapshotARestoreDrillUsesIsKeptUntilTheDrillExpires() {
        ManagedSnapshot old = ours("kfood-db", 40);
        Map<String, String> inUse = Map.of("ManagedBy", "kfood-ops", "kfood-ops:drill-in-use", "2026-11-26T23:00:00Z");
        List<ManagedSnapshot> s = List.of(
                ours("kfood-db", 1),
                ours("kfood-db", 2),
                with(old, null, null, null, null, inUse),
                with(
                        ours("kfood-db", 41),
                        null,
                        null,
                        null,
                        null,
                        Map.of("ManagedBy", "kfood-ops", "kfood-ops:drill-in-use", "not-a-time")),
                with(
                        ours("kfood-db", 42),
                        null,
                        null,
                        null,
                        null,
                        Map.of("ManagedBy", "kfood-ops", "kfood-ops:drill-in-use", "2026-11-26T19:00:00Z")));
        Map<String, RetentionPolicy.Reason> verdicts = judge(s);
        assertThat(verdicts.get(s.get(2).id())).isEqualTo(RetentionPolicy.Reason.IN_USE);
        assertThat(verdicts.get(s.get(3).id()))
                .as("an unreadable mark keeps the snapshot")
                .isEqualTo(RetentionPolicy.Reason.IN_USE);
        assertThat(verdicts.get(s.get(4).id()))
                .as("a mark past its time no longer holds")
                .isNull();
    }

    @Test
    void expiredSnapshotsGoAndFreshOnesStayAboveTheFloor() {
        List<ManagedSnapshot> s = List.of(
                ours("kfood-db", 1),
                ours("kfood-db", 2),
                ours("kfood-db", 29),
                ours("kfood-db", 31),
                ours("kfood-db", 45));
        Map<String, RetentionPolicy.Reason> v = judge(s);
        assertThat(v.get(s.get(0).id())).isEqualTo(RetentionPolicy.Reason.FLOOR);
        assertThat(v.get(s.get(1).id())).isEqualTo(RetentionPolicy.Reason.FLOOR);
        assertThat(v.get(s.get(2).id())).isEqualTo(RetentionPolicy.Reason.NOT_EXPIRED);
        assertThat(v.get(s.get(3).id())).isNull();
        assertThat(v.get(s.get(4).id())).isNull();
    }

    @Test
    void whenBackupsStoppedLongAgoTheLastOnesAreKept() {
        List<ManagedSnapshot> s = List.of(ours("kfood-db", 40), ours("kfood-db", 41), ours("kfood-db", 42));
        Map<String, RetentionPolicy.Reason> v = judge(s);
        assertThat(v.values())
                .containsExactlyInAnyOrder(RetentionPolicy.Reason.FLOOR, RetentionPolicy.Reason.FLOOR, null);
        assertThat(v.get(s.get(2).id())).isNull(); // the oldest goes
    }

    @Test
    void theFloorIsPerDatabase() {
        List<ManagedSnapshot> s =
                List.of(ours("kfood-db", 40), ours("kfood-db-2", 50), ours("kfood-db-2", 51), ours("kfood-db-2", 52));
        Map<String, RetentionPolicy.Reason> v = judge(s);
        assertThat(v.get(s.get(0).id())).isEqualTo(RetentionPolicy.Reason.FLOOR);
        assertThat(v.get(s.get(3).id())).isNull();
    }

    @Test
    void onlyThisStacksManualSnapshotsOfConfiguredDatabasesCanGo() {
        ManagedSnapshot old = ours("kfood-db", 90);
        List<ManagedSnapshot> s = new ArrayList<>(List.of(ours("kfood-db", 1), ours("kfood-db", 2)));
        s.add(with(old, "rds:kfood-db-2026-08-01-18-00", null, "automated", null, Map.of()));
        s.add(with(old, "awsbackup:job-1234", null, "awsbackup", null, Map.of("ManagedBy", "kfood-ops")));
        s.add(with(old, "kfood-ops-other-db-20260801-1800", "other-db", null, null, null));
        s.add(with(old, "kfood-ops-kfood-db-20260801-1801", null, null, null, Map.of()));
        s.add(with(
                old, "kfood-ops-kfood-db-20260801-1802", null, null, null, Map.of("ManagedBy", "kfood-ops-staging")));
        s.add(with(old, "before-migration-keep", null, null, null, null));
        s.add(with(old, "kfood-ops-kfood-db-20260801-1803", null, null, "creating", null));
        s.add(with(old, "kfood-ops-kfood-db-20260801-1804", null, null, "failed", null));
        s.add(old);

        Map<String, RetentionPolicy.Reason> v = judge(s);
        assertThat(v)
                .containsEntry("rds:kfood-db-2026-08-01-18-00", RetentionPolicy.Reason.NOT_MANUAL)
                .containsEntry("awsbackup:job-1234", RetentionPolicy.Reason.NOT_MANUAL)
                .containsEntry("kfood-ops-other-db-20260801-1800", RetentionPolicy.Reason.OTHER_DATABASE)
                .containsEntry("kfood-ops-kfood-db-20260801-1801", RetentionPolicy.Reason.NOT_OURS)
                .containsEntry("kfood-ops-kfood-db-20260801-1802", RetentionPolicy.Reason.NOT_OURS)
                .containsEntry("before-migration-keep", RetentionPolicy.Reason.NOT_OUR_NAME)
                .containsEntry("kfood-ops-kfood-db-20260801-1803", RetentionPolicy.Reason.NOT_AVAILABLE)
                .containsEntry("kfood-ops-kfood-db-20260801-1804", RetentionPolicy.Reason.NOT_AVAILABLE);
        assertThat(v.entrySet().stream()
                        .filter(e -> e.getValue() == null)
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toList()))
                .containsExactly(old.id());
    }

    @Test
    void aSnapshotsOwnRetentionTagWinsOverTheConfiguredRetention() {
        ManagedSnapshot longKept = with(
                ours("kfood-db", 40),
                null,
                null,
                null,
                null,
                Map.of("ManagedBy", "kfood-ops", "kfood-ops:RetentionDays", "90"));
        ManagedSnapshot shortKept = with(
                ours("kfood-db", 10),
                null,
                null,
                null,
                null,
                Map.of("ManagedBy", "kfood-ops", "kfood-ops:RetentionDays", "7"));
        ManagedSnapshot badTag = with(
                ours("kfood-db", 20),
                null,
                null,
                null,
                null,
                Map.of("ManagedBy", "kfood-ops", "kfood-ops:RetentionDays", "-1"));
        List<ManagedSnapshot> s = List.of(ours("kfood-db", 0), ours("kfood-db", 1), longKept, shortKept, badTag);
        Map<String, RetentionPolicy.Reason> v = judge(s);
        assertThat(v.get(longKept.id())).isEqualTo(RetentionPolicy.Reason.NOT_EXPIRED);
        assertThat(v.get(shortKept.id())).isNull();
        assertThat(v.get(badTag.id())).isEqualTo(RetentionPolicy.Reason.NOT_EXPIRED); // falls back to 30 days
    }

    @Test
    void retentionIsExactToTheSecondInUtc() {
        Instant created = NOW.minus(Duration.ofDays(30));
        ManagedSnapshot exactly30 = new ManagedSnapshot(
                "kfood-ops-kfood-db-20261027-1930",
                "kfood-db",
                "manual",
                "available",
                created,
                1,
                Map.of("ManagedBy", "kfood-ops"));
        ManagedSnapshot justOver = new ManagedSnapshot(
                "kfood-ops-kfood-db-20261027-1929",
                "kfood-db",
                "manual",
                "available",
                created.minusSeconds(1),
                1,
                Map.of("ManagedBy", "kfood-ops"));
        Map<String, RetentionPolicy.Reason> v =
                judge(List.of(ours("kfood-db", 0), ours("kfood-db", 1), exactly30, justOver));
        assertThat(v.get(exactly30.id())).isEqualTo(RetentionPolicy.Reason.NOT_EXPIRED);
        assertThat(v.get(justOver.id())).isNull();
    }
}
