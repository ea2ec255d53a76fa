package com.kfood.ops.remediation;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.SourceType;

/** {@link Platform} on AWS: ECS services, RDS instances, CloudWatch metrics and alarm history. */
public final class AwsPlatform implements Platform {
    private static final DateTimeFormatter HHMM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private final EcsClient ecs;
    private final RdsClient rds;
    private final CloudWatchClient cloudWatch;

    public AwsPlatform(EcsClient ecs, RdsClient rds, CloudWatchClient cloudWatch) {
        this.ecs = ecs;
        this.rds = rds;
        this.cloudWatch = cloudWatch;
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            () -> ecsService("priming", "priming"),
            () -> ecs.updateService(b -> b.cluster("priming").service("priming").forceNewDeployment(true)),
            () -> ecs.tagResource(b -> b.resourceArn("arn:aws:ecs:ap-northeast-2:000000000000:service/priming/priming")
                    .tags(t -> t.key(Cooldown.TAG).value("0:priming"))),
            () -> database("priming"),
            () -> recentDatabaseEvents("priming", Duration.ofHours(1)),
            () -> datapoints(
                    new AlarmChange.MetricRef(
                            "AWS/RDS", "DatabaseConnections", Map.of("DBInstanceIdentifier", "priming"), "Maximum", 60),
                    Instant.EPOCH.plusSeconds(3600),
                    Duration.ofMinutes(30)),
            () -> alarmStart("priming", Instant.EPOCH.plusSeconds(86_400)),
        };
    }

    @Override
    public EcsService ecsService(String cluster, String service) {
        List<Service> found =
                ecs.describeServices(b -> b.cluster(cluster).services(service)).services();
        Service s = found.stream()
                .filter(x -> "ACTIVE".equals(x.status()))
                .findFirst()
                .orElse(null);
        if (s == null) {
            return null;
        }
        String tag = ecs.listTagsForResource(b -> b.resourceArn(s.serviceArn())).tags().stream()
                .filter(t -> Cooldown.TAG.equals(t.key()))
                .map(t -> t.value())
                .findFirst()
                .orElse(null);
        return new EcsService(
                s.serviceArn(),
                cluster,
                service,
                s.desiredCount(),
                s.runningCount(),
                deploymentInProgress(s),
                Cooldown.History.decode(tag));
    }

    /** Why a deployment or rollback is under way, or null when the service is steady. */
    static String deploymentInProgress(Service s) {
        for (Deployment d : s.deployments()) {
            if ("IN_PROGRESS".equals(d.rolloutStateAsString())) {
                return "deployment " + d.id() + " is in progress"
                        + (d.rolloutStateReason() == null ? "" : " (" + d.rolloutStateReason() + ")");
            }
        }
        if (s.deployments().size() > 1) {
            return s.deployments().size() + " deployments are active (a rollout or rollback is under way)";
        }
        if (s.taskSets().size() > 1) {
            return "a blue/green deployment is under way (" + s.taskSets().size() + " task sets)";
        }
        return null;
    }

    @Override
    public void recordEcs(EcsService service, Cooldown.History history) {
        ecs.tagResource(
                b -> b.resourceArn(service.arn()).tags(t -> t.key(Cooldown.TAG).value(history.encode())));
    }

    @Override
    public String forceNewDeployment(EcsService service) {
        Service updated = ecs.updateService(b ->
                        b.cluster(service.cluster()).service(service.name()).forceNewDeployment(true))
                .service();
        return updated.deployments().isEmpty()
                ? "new deployment started"
                : "new deployment " + updated.deployments().get(0).id() + " started";
    }

    @Override
    public void setDesiredCount(EcsService service, int desired) {
        ecs.updateService(
                b -> b.cluster(service.cluster()).service(service.name()).desiredCount(desired));
    }

    @Override
    public Database database(String id) {
        try {
            DBInstance db = rds.describeDBInstances(b -> b.dbInstanceIdentifier(id))
                    .dbInstances()
                    .getFirst();
            String tag = rds.listTagsForResource(b -> b.resourceName(db.dbInstanceArn())).tagList().stream()
                    .filter(t -> Cooldown.TAG.equals(t.key()))
                    .map(t -> t.value())
                    .findFirst()
                    .orElse(null);
            return new Database(
                    db.dbInstanceArn(),
                    id,
                    db.dbInstanceStatus(),
                    Boolean.TRUE.equals(db.multiAZ()),
                    db.dbInstanceClass(),
                    db.engine() + " " + db.engineVersion(),
                    db.availabilityZone(),
                    Cooldown.History.decode(tag));
        } catch (DbInstanceNotFoundException e) {
            return null;
        }
    }

    @Override
    public List<String> recentDatabaseEvents(String id, Duration window) {
        return rds
                .describeEvents(b -> b.sourceType(SourceType.DB_INSTANCE)
                        .sourceIdentifier(id)
                        .duration((int) window.toMinutes()))
                .events()
                .stream()
                .map(e -> HHMM.format(e.date()) + " " + e.message())
                .toList();
    }

    @Override
    public void recordDatabase(Database db, Cooldown.History history) {
        rds.addTagsToResource(
                b -> b.resourceName(db.arn()).tags(t -> t.key(Cooldown.TAG).value(history.encode())));
    }

    @Override
    public void reboot(Database db) {
        rds.rebootDBInstance(b -> b.dbInstanceIdentifier(db.id()).forceFailover(db.multiAz() ? Boolean.TRUE : null));
    }

    @Override
    public List<String> datapoints(AlarmChange.MetricRef metric, Instant now, Duration window) {
        List<Dimension> dims = new ArrayList<>();
        metric.dimensions()
                .forEach((k, v) -> dims.add(Dimension.builder().name(k).value(v).build()));
        int period = metric.period() == null ? 60 : metric.period();
        String stat = metric.stat() == null ? "Average" : metric.stat();
        List<MetricDataResult> results = cloudWatch
                .getMetricData(b -> b.startTime(now.minus(window))
                        .endTime(now)
                        .metricDataQueries(q -> q.id("m1")
                                .returnData(true)
                                .metricStat(s -> s.period(period)
                                        .stat(stat)
                                        .metric(m -> m.namespace(metric.namespace())
                                                .metricName(metric.name())
                                                .dimensions(dims)))))
                .metricDataResults();
        // by time, not as "HH:mm" text: in a window across midnight UTC the text order puts 00:05 first
        TreeMap<Instant, Double> byTime = new TreeMap<>();
        for (MetricDataResult r : results) {
            for (int i = 0; i < r.timestamps().size() && i < r.values().size(); i++) {
                byTime.put(r.timestamps().get(i), r.values().get(i));
            }
        }
        List<String> out = new ArrayList<>();
        byTime.forEach((at, value) -> out.add(HHMM.format(at) + " " + value));
        return out.subList(Math.max(0, out.size() - 10), out.size());
    }

    @Override
    public Instant alarmStart(String alarmName, Instant before) {
        for (AlarmHistoryItem item : cloudWatch
                .describeAlarmHistory(b -> b.alarmName(alarmName)
                        .historyItemType(HistoryItemType.STATE_UPDATE)
                        .startDate(before.minus(Duration.ofDays(1)))
                        .endDate(before)
                        .maxRecords(20))
                .alarmHistoryItems()) {
            if (item.historySummary() != null && item.historySummary().endsWith("to ALARM")) {
                return item.timestamp();
            }
        }
        return null;
    }
}
