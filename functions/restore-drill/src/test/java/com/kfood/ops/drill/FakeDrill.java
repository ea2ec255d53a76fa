package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Notifier;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory RDS and state bucket for unit tests: every call is counted, instances are whatever the test says. */
final class FakeDrill implements DrillPlatform, DrillStore {
    final Map<String, Instance> instances = new ConcurrentHashMap<>();
    final Map<String, String> documents = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    /** The region this fake's RDS is in (its instances' ARNs say it). */
    String region = "ap-northeast-2";

    Optional<SourceSnapshot> snapshot = Optional.empty();
    /** What the source's automated backups reach; empty: none kept. */
    Optional<RestorableWindow> window = Optional.empty();
    /** Each restore asked for, as asked. */
    final List<RestorePlan> plans = new ArrayList<>();
    /** Why RDS refuses to delete now (the instance's state); null: deletions are accepted. */
    String refuseDelete;

    static final RestoreDrill.Connector NO_DATABASE = target -> {
        throw new SQLException("connection refused");
    };

    /** The drill on this fake's RDS and bucket, with no database to reach. */
    RestoreDrill drill(DrillConfig config, Notifier notifier, OpsMetrics metrics, OpsLog log, Clock clock) {
        return new RestoreDrill(config, new RestoreDrill.Rig(this, this, NO_DATABASE), notifier, metrics, log, clock);
    }

    /** The drill on this fake's RDS and bucket, with {@code dr} as the DR region's RDS. */
    RestoreDrill drill(
            DrillConfig config, FakeDrill dr, Notifier notifier, OpsMetrics metrics, OpsLog log, Clock clock) {
        return new RestoreDrill(
                config, new RestoreDrill.Rig(this, this, NO_DATABASE, Optional.of(dr)), notifier, metrics, log, clock);
    }

    @Override
    public Optional<SourceSnapshot> newestSnapshot(String db) {
        calls.add("newestSnapshot " + db);
        return snapshot;
    }

    @Override
    public Optional<RestorableWindow> restorableWindow(String db) {
        calls.add("restorableWindow " + db);
        return window;
    }

    @Override
    public void protect(SourceSnapshot s, Instant until) {
        calls.add("protect " + s.id());
    }

    @Override
    public void release(String snapshotArn) {
        calls.add("release " + snapshotArn);
    }

    @Override
    public Instance restore(RestorePlan plan) {
        calls.add("restore " + plan.instanceId());
        plans.add(plan);
        Instance i = new Instance(
                plan.instanceId(),
                "arn:aws:rds:" + region + ":123456789012:db:" + plan.instanceId(),
                "creating",
                Map.copyOf(plan.tags()),
                null,
                null,
                null,
                null);
        instances.put(i.id(), i);
        return i;
    }

    @Override
    public Optional<Instance> instance(String id) {
        calls.add("instance " + id);
        return Optional.ofNullable(instances.get(id));
    }

    @Override
    public List<Instance> instancesNamed(String prefix) {
        calls.add("instancesNamed");
        return instances.values().stream()
                .filter(i -> i.id().startsWith(prefix))
                .toList();
    }

    @Override
    public void tag(Instance instance, Map<String, String> tags) {
        calls.add("tag " + instance.id());
        Map<String, String> all = new TreeMap<>(instance.tags());
        all.putAll(tags);
        instances.computeIfPresent(
                instance.id(),
                (k, i) -> new Instance(
                        i.id(),
                        i.arn(),
                        i.status(),
                        Map.copyOf(all),
                        i.host(),
                        i.port(),
                        i.secretArn(),
                        i.secretStatus()));
    }

    @Override
    public Optional<String> delete(String instanceId) {
        calls.add("delete " + instanceId);
        if (refuseDelete != null) {
            return Optional.of(refuseDelete);
        }
        instances.remove(instanceId);
        return Optional.empty();
    }

    @Override
    public JsonNode masterSecret(String secretArn) {
        calls.add("masterSecret");
        return Json.object().put("username", "postgres").put("password", "unused");
    }

    /** Moves an instance to {@code status} with its master secret in {@code secretStatus}. */
    void set(String id, String status, String secretStatus) {
        instances.computeIfPresent(
                id,
                (k, i) -> new Instance(
                        i.id(), i.arn(), status, i.tags(), "drill.example", 5432, "arn:secret:rds!db-1", secretStatus));
    }

    @Override
    public synchronized boolean create(String key, String json) {
        calls.add("create " + key);
        return documents.putIfAbsent(key, json) == null;
    }

    @Override
    public synchronized void put(String key, String json) {
        calls.add("put " + key);
        documents.put(key, json);
    }

    @Override
    public synchronized Optional<JsonNode> read(String key) {
        return Optional.ofNullable(documents.get(key)).map(Json::parseValue);
    }

    @Override
    public synchronized List<String> keys(String prefix) {
        return documents.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public synchronized void remove(String key) {
        calls.add("remove " + key);
        documents.remove(key);
    }
}
