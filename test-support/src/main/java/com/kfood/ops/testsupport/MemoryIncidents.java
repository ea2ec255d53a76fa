package com.kfood.ops.testsupport;

import com.kfood.ops.shared.incident.Incidents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link Incidents} in memory, with the S3 store's rules (entries keyed by time and kind, written once per key). */
public final class MemoryIncidents implements Incidents {
    private final Map<String, Incident> latest = new HashMap<>();
    private final Map<String, TreeMap<String, Entry>> entries = new HashMap<>();
    private final Map<String, Incident> deployments = new HashMap<>();
    /** When set, every call fails with it (a store that cannot be reached). */
    public RuntimeException failWith;

    @Override
    public Incident open(String alarm, Instant at) {
        check();
        Incident last = latest.get(alarm);
        if (last != null && (last.isOpen() || !at.isAfter(last.closed()))) {
            return last;
        }
        Incident incident = new Incident(Incidents.idOf(alarm, at), alarm, at, null);
        latest.put(alarm, incident);
        return incident;
    }

    @Override
    public Optional<Incident> latest(String alarm) {
        check();
        return Optional.ofNullable(latest.get(alarm));
    }

    @Override
    public void add(String incidentId, Entry entry) {
        check();
        entries.computeIfAbsent(incidentId, k -> new TreeMap<>())
                .put(String.format("%013d-%s", entry.at().toEpochMilli(), entry.kind()), entry);
    }

    @Override
    public List<Entry> timeline(String incidentId) {
        check();
        List<Entry> all = new ArrayList<>(
                entries.getOrDefault(incidentId, new TreeMap<>()).values());
        all.sort(Comparator.comparing(Entry::at));
        return all.subList(0, Math.min(all.size(), MAX_ENTRIES));
    }

    @Override
    public Incident close(Incident incident, Instant at) {
        check();
        if (!incident.isOpen()) {
            return incident;
        }
        Incident closed = new Incident(incident.id(), incident.alarm(), incident.start(), at);
        latest.put(incident.alarm(), closed);
        return closed;
    }

    @Override
    public void linkDeployment(String deploymentId, Incident incident) {
        check();
        deployments.put(deploymentId, incident);
    }

    @Override
    public Optional<Incident> byDeployment(String deploymentId) {
        check();
        return Optional.ofNullable(deployments.get(deploymentId));
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[0];
    }

    private void check() {
        if (failWith != null) {
            throw failWith;
        }
    }
}
