package com.kfood.ops.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.backup.SnapshotTags;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** {@link DrillPlatform} on RDS and Secrets Manager. */
final class AwsDrillPlatform implements DrillPlatform {
    private final RdsClient rds;
    private final SecretsManagerClient secrets;
    private final DrillConfig config;

    AwsDrillPlatform(RdsClient rds, SecretsManagerClient secrets, DrillConfig config) {
        this.rds = rds;
        this.secrets = secrets;
        this.config = config;
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            () -> rds.describeDBSnapshots(b -> b.dbInstanceIdentifier("priming").snapshotType("manual")),
            () -> rds.describeDBInstances(b -> b.maxRecords(100)),
            () -> secrets.getSecretValue(b -> b.secretId("priming"))
        };
    }

    @Override
    public Optional<SourceSnapshot> newestSnapshot(String db) {
        return rds
                .describeDBSnapshotsPaginator(b -> b.dbInstanceIdentifier(db)
                        .snapshotType("manual")
                        .includeShared(false)
                        .includePublic(false)
                        .maxRecords(100))
                .dbSnapshots()
                .stream()
                .filter(s -> "available".equals(s.status()) && s.snapshotCreateTime() != null)
                .filter(s -> config.managedBy().equals(tags(s.tagList()).get(SnapshotTags.MANAGED_BY)))
                .filter(s -> SnapshotTags.isOurName(config.snapshotPrefix(), db, s.dbSnapshotIdentifier()))
                .max(Comparator.comparing(DBSnapshot::snapshotCreateTime))
                .map(s -> new SourceSnapshot(s.dbSnapshotIdentifier(), s.dbSnapshotArn(), db, s.snapshotCreateTime()));
    }

    @Override
    public Optional<RestorableWindow> restorableWindow(String db) {
        Optional<DBInstance> source = describe(db);
        if (source.isEmpty()
                || source.get().latestRestorableTime() == null
                || source.get().backupRetentionPeriod() == null
                || source.get().backupRetentionPeriod() < 1) {
            return Optional.empty();
        }
        Instant latest = source.get().latestRestorableTime();
        Instant earliest = latest.minus(Duration.ofDays(source.get().backupRetentionPeriod()));
        Instant created = source.get().instanceCreateTime();
        return Optional.of(
                new RestorableWindow(created != null && created.isAfter(earliest) ? created : earliest, latest));
    }

    @Override
    public void protect(SourceSnapshot snapshot, Instant until) {
        rds.addTagsToResource(b -> b.resourceName(snapshot.arn())
                .tags(Tag.builder()
                        .key(SnapshotTags.DRILL_IN_USE)
                        .value(until.toString())
                        .build()));
    }

    @Override
    public void release(String snapshotArn) {
        rds.removeTagsFromResource(b -> b.resourceName(snapshotArn).tagKeys(SnapshotTags.DRILL_IN_USE));
    }

    @Override
    public Instance restore(RestorePlan plan) {
        try {
            return plan.restoreTime() != null ? toPointInTime(plan) : fromSnapshot(plan);
        } catch (DbInstanceAlreadyExistsException e) {
            throw new InstanceExists(plan.instanceId());
        }
    }

    private Instance toPointInTime(RestorePlan plan) {
        return instance(rds.restoreDBInstanceToPointInTime(b -> b.sourceDBInstanceIdentifier(plan.source())
                        .targetDBInstanceIdentifier(plan.instanceId())
                        .restoreTime(plan.restoreTime())
                        .dbInstanceClass(plan.instanceClass())
                        .multiAZ(false)
                        .publiclyAccessible(false)
                        .dbSubnetGroupName(plan.subnetGroup())
                        .vpcSecurityGroupIds(plan.securityGroupIds())
                        .deletionProtection(false)
                        .copyTagsToSnapshot(false)
                        .autoMinorVersionUpgrade(false)
                        .manageMasterUserPassword(true)
                        .tags(tagList(plan.tags())))
                .dbInstance());
    }

    private Instance fromSnapshot(RestorePlan plan) {
        return instance(rds.restoreDBInstanceFromDBSnapshot(b -> b.dbInstanceIdentifier(plan.instanceId())
                        .dbSnapshotIdentifier(plan.source())
                        .dbInstanceClass(plan.instanceClass())
                        .multiAZ(false)
                        .publiclyAccessible(false)
                        .dbSubnetGroupName(plan.subnetGroup())
                        .vpcSecurityGroupIds(plan.securityGroupIds())
                        .deletionProtection(false)
                        .copyTagsToSnapshot(false)
                        .autoMinorVersionUpgrade(false)
                        .manageMasterUserPassword(true)
                        .tags(tagList(plan.tags())))
                .dbInstance());
    }

    private static List<Tag> tagList(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    @Override
    public Optional<Instance> instance(String id) {
        return describe(id).map(AwsDrillPlatform::instance);
    }

    private Optional<DBInstance> describe(String id) {
        try {
            return rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().stream()
                    .findFirst();
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Instance> instancesNamed(String prefix) {
        return rds.describeDBInstancesPaginator(b -> b.maxRecords(100)).dbInstances().stream()
                .filter(i -> i.dbInstanceIdentifier().startsWith(prefix))
                .map(AwsDrillPlatform::instance)
                .toList();
    }

    @Override
    public void tag(Instance instance, Map<String, String> tags) {
        rds.addTagsToResource(b -> b.resourceName(instance.arn()).tags(tagList(tags)));
    }

    @Override
    public Optional<String> delete(String instanceId) {
        try {
            rds.deleteDBInstance(b ->
                    b.dbInstanceIdentifier(instanceId).skipFinalSnapshot(true).deleteAutomatedBackups(true));
            return Optional.empty();
        } catch (DbInstanceNotFoundException e) {
            return Optional.empty(); // gone already: a redelivered event, or the watchdog was first
        } catch (InvalidDbInstanceStateException e) {
            // being deleted already is no refusal; any other state (modifying, backing-up...) is
            String status = instance(instanceId).map(Instance::status).orElse("deleting");
            return "deleting".equals(status)
                    ? Optional.empty()
                    : Optional.of("instance " + status + ": " + Errors.describe(e));
        }
    }

    @Override
    public JsonNode masterSecret(String secretArn) {
        JsonNode secret = Json.parseEmbedded(
                secrets.getSecretValue(b -> b.secretId(secretArn)).secretString());
        if (secret == null) {
            throw new IllegalStateException("the drill instance's master secret is not JSON");
        }
        return secret;
    }

    private static Map<String, String> tags(List<Tag> list) {
        Map<String, String> tags = new HashMap<>();
        list.forEach(t -> tags.put(t.key(), t.value()));
        return Map.copyOf(tags);
    }

    private static Instance instance(DBInstance i) {
        var secret = i.masterUserSecret();
        return new Instance(
                i.dbInstanceIdentifier(),
                i.dbInstanceArn(),
                i.dbInstanceStatus(),
                tags(i.tagList()),
                i.endpoint() == null ? null : i.endpoint().address(),
                i.endpoint() == null ? null : i.endpoint().port(),
                secret == null ? null : secret.secretArn(),
                secret == null ? null : secret.secretStatus());
    }
}
