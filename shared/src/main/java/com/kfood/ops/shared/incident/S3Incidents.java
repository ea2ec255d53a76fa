package com.kfood.ops.shared.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link Incidents} in the stack's state bucket, under {@code incidents/}: the alarm's latest
 * episode ({@code alarms/<hash>.json}), one object per timeline entry ({@code <id>/<millis>-<kind>.json},
 * written once, so two functions never overwrite each other's), and the deployments started for an
 * incident ({@code deployments/<hash>.json}). The bucket's lifecycle expires them.
 */
public final class S3Incidents implements Incidents {
    static final String PREFIX = "incidents/";

    private final S3Client s3;
    private final String bucket;

    public S3Incidents(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            () -> latest("priming"),
            () -> timeline("INC-priming"),
            () -> add("INC-priming", new Entry(Instant.EPOCH, ALARM, "priming")),
        };
    }

    @Override
    public Incident open(String alarm, Instant at) {
        Optional<Incident> latest = latest(alarm);
        if (latest.isPresent()
                && (latest.get().isOpen() || !at.isAfter(latest.get().closed()))) {
            return latest.get();
        }
        Incident incident = new Incident(Incidents.idOf(alarm, at), alarm, at, null);
        put(alarmKey(alarm), incident);
        return incident;
    }

    @Override
    public Optional<Incident> latest(String alarm) {
        return get(alarmKey(alarm)).flatMap(S3Incidents::incident);
    }

    @Override
    public void add(String incidentId, Entry entry) {
        put(
                PREFIX + incidentId + "/" + String.format("%013d", entry.at().toEpochMilli()) + "-" + entry.kind()
                        + ".json",
                entry);
    }

    @Override
    public List<Entry> timeline(String incidentId) {
        List<S3Object> objects = s3.listObjectsV2(
                        b -> b.bucket(bucket).prefix(PREFIX + incidentId + "/").maxKeys(MAX_ENTRIES))
                .contents();
        List<Entry> entries = new ArrayList<>();
        for (S3Object o : objects) { // listed in key order, which is time order
            get(o.key()).flatMap(S3Incidents::entry).ifPresent(entries::add);
        }
        return entries;
    }

    @Override
    public Incident close(Incident incident, Instant at) {
        if (!incident.isOpen()) {
            return incident;
        }
        Incident closed = new Incident(incident.id(), incident.alarm(), incident.start(), at);
        put(alarmKey(incident.alarm()), closed);
        return closed;
    }

    @Override
    public void linkDeployment(String deploymentId, Incident incident) {
        put(PREFIX + "deployments/" + Incidents.hash(deploymentId) + ".json", incident);
    }

    @Override
    public Optional<Incident> byDeployment(String deploymentId) {
        return get(PREFIX + "deployments/" + Incidents.hash(deploymentId) + ".json")
                .flatMap(S3Incidents::incident);
    }

    private static String alarmKey(String alarm) {
        return PREFIX + "alarms/" + Incidents.hash(alarm) + ".json";
    }

    private void put(String key, Object value) {
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromString(Json.write(value)));
    }

    private Optional<JsonNode> get(String key) {
        try {
            return Optional.ofNullable(Json.parseValue(
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** A record that cannot be read (edited by hand, cut short) is as good as none: never a failed alarm. */
    private static Optional<Incident> incident(JsonNode n) {
        try {
            return Optional.of(new Incident(
                    n.path("id").asText(),
                    n.path("alarm").asText(),
                    Instant.parse(n.path("start").asText()),
                    n.path("closed").isTextual()
                            ? Instant.parse(n.path("closed").asText())
                            : null));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Entry> entry(JsonNode n) {
        try {
            return Optional.of(new Entry(
                    Instant.parse(n.path("at").asText()),
                    n.path("kind").asText(),
                    n.path("text").asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
