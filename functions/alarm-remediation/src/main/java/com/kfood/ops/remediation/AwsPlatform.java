package com.kfood.ops.remediation;

import com.kfood.ops.shared.Text;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.SourceType;

/**
 * {@link Platform} on AWS: ECS services and their Application Auto Scaling targets, RDS instances,
 * CloudWatch metrics, alarm history and the services' logs.
 */
public final class AwsPlatform implements Platform {
    private static final DateTimeFormatter HHMM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    /** Application Auto Scaling's one-time schedule: {@code at(yyyy-mm-ddThh:mm:ss)}, here in UTC. */
    private static final DateTimeFormatter AT =
            DateTimeFormatter.ofPattern("'at('yyyy-MM-dd'T'HH:mm:ss')'").withZone(ZoneOffset.UTC);
    /** The scheduled action that ends a hold: one per scalable target, so a second hold replaces it. */
    static final String HOLD_ACTION = "kfood-ops-restore-minimum";
    /** FilterLogEvents pages read for the newest lines: a storm of errors costs a bounded number of calls. */
    private static final int LOG_PAGES = 5;

    private final EcsClient ecs;
    private final RdsClient rds;
    private final AwsAlarms alarms;
    private final ApplicationAutoScalingClient autoScaling;
    private final CloudWatchLogsClient logs;

    public AwsPlatform(
            EcsClient ecs,
            RdsClient rds,
            CloudWatchClient cloudWatch,
            ApplicationAutoScalingClient autoScaling,
            CloudWatchLogsClient logs) {
        this.ecs = ecs;
        this.rds = rds;
        this.alarms = new AwsAlarms(cloudWatch);
        this.autoScaling = autoScaling;
        this.logs = logs;
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
            () -> alarmNow("priming"),
            () -> scalableTarget(PRIMING_SERVICE),
            () -> holdMinimum(
                    PRIMING_SERVICE, new ScalableTarget("service/priming/priming", 2, 10, null), 3, 2, Instant.EPOCH),
            () -> restoreMinimum(
                    PRIMING_SERVICE,
                    new ScalableTarget("service/priming/priming", 3, 10, new Hold(2, Instant.EPOCH, 3)),
                    true),
            () -> recentErrors(PRIMING_SERVICE, Instant.EPOCH, Instant.EPOCH.plusSeconds(600), 5),
        };
    }

    /** On the ECS service while a hold lasts: the minimum this function set, to tell a person's change apart. */
    static final String MINIMUM_SET_TAG = "kfood-ops:minimum-set";

    private static final EcsService PRIMING_SERVICE = new EcsService(
            "arn:aws:ecs:ap-northeast-2:000000000000:service/priming/priming",
            "priming",
            "priming",
            2,
            2,
            null,
            "arn:aws:ecs:ap-northeast-2:000000000000:task-definition/priming:1",
            new Cooldown.History(List.of()),
            null);

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
        Map<String, String> tags = new HashMap<>();
        ecs.listTagsForResource(b -> b.resourceArn(s.serviceArn())).tags().forEach(t -> tags.put(t.key(), t.value()));
        return new EcsService(
                s.serviceArn(),
                cluster,
                service,
                s.desiredCount(),
                s.runningCount(),
                deploymentInProgress(s),
                s.taskDefinition(),
                Cooldown.History.decode(tags.get(Cooldown.TAG)),
                minimumSet(tags.get(MINIMUM_SET_TAG)));
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
        return updated.deployments().stream()
                .filter(d -> "PRIMARY".equals(d.status()))
                .map(Deployment::id)
                .findFirst()
                .orElse(null);
    }

    @Override
    public void setDesiredCount(EcsService service, int desired) {
        ecs.updateService(
                b -> b.cluster(service.cluster()).service(service.name()).desiredCount(desired));
    }

    @Override
    public ScalableTarget scalableTarget(EcsService service) {
        String resourceId = "service/" + service.cluster() + "/" + service.name();
        List<software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget> found = autoScaling
                .describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS)
                        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                        .resourceIds(resourceId))
                .scalableTargets();
        if (found.isEmpty()) {
            return null;
        }
        Hold hold = autoScaling
                .describeScheduledActions(b -> b.serviceNamespace(ServiceNamespace.ECS)
                        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                        .resourceId(resourceId)
                        .scheduledActionNames(HOLD_ACTION))
                .scheduledActions()
                .stream()
                .filter(a -> a.scalableTargetAction() != null
                        && a.scalableTargetAction().minCapacity() != null)
                .map(a -> new Hold(a.scalableTargetAction().minCapacity(), until(a.schedule()), service.minimumSet()))
                .findFirst()
                .orElse(null);
        var target = found.getFirst();
        return new ScalableTarget(resourceId, target.minCapacity(), target.maxCapacity(), hold);
    }

    /** When an {@code at(...)} schedule runs (UTC, as this function writes them); null for another kind. */
    static Instant until(String schedule) {
        try {
            return LocalDateTime.parse(schedule.substring(3, schedule.length() - 1))
                    .toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void holdMinimum(EcsService service, ScalableTarget target, int raisedTo, int originalMin, Instant until) {
        autoScaling.putScheduledAction(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                .resourceId(target.resourceId())
                .scheduledActionName(HOLD_ACTION)
                .schedule(AT.format(until))
                .timezone("UTC")
                .scalableTargetAction(a -> a.minCapacity(originalMin)));
        ecs.tagResource(b ->
                b.resourceArn(service.arn()).tags(t -> t.key(MINIMUM_SET_TAG).value(String.valueOf(raisedTo))));
        autoScaling.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                .resourceId(target.resourceId())
                .minCapacity(raisedTo));
    }

    @Override
    public void restoreMinimum(EcsService service, ScalableTarget target, boolean putBack) {
        if (target.hold() == null) {
            return;
        }
        if (putBack && target.min() != target.hold().originalMin()) {
            autoScaling.registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.ECS)
                    .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                    .resourceId(target.resourceId())
                    .minCapacity(target.hold().originalMin()));
        }
        // last: until here, a crash leaves the scheduled restore in place
        autoScaling.deleteScheduledAction(b -> b.serviceNamespace(ServiceNamespace.ECS)
                .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
                .resourceId(target.resourceId())
                .scheduledActionName(HOLD_ACTION));
        ecs.untagResource(b -> b.resourceArn(service.arn()).tagKeys(MINIMUM_SET_TAG));
    }

    /** The minimum recorded on the service; null when none (or someone edited the tag). */
    static Integer minimumSet(String tag) {
        try {
            return tag == null ? null : Integer.valueOf(tag.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public ErrorLines recentErrors(EcsService service, Instant from, Instant to, int max) {
        String group = logGroup(service.taskDefinition());
        if (group == null) {
            return new ErrorLines(null, 0, List.of());
        }
        ArrayDeque<String> newest = new ArrayDeque<>(max);
        int matched = 0;
        String token = null;
        for (int page = 0; page < LOG_PAGES; page++) {
            String next = token;
            FilterLogEventsResponse r = logs.filterLogEvents(b -> b.logGroupName(group)
                    .startTime(from.toEpochMilli())
                    .endTime(to.toEpochMilli())
                    .filterPattern("ERROR")
                    .nextToken(next));
            for (FilteredLogEvent e : r.events()) { // oldest first
                matched++;
                if (newest.size() == max) {
                    newest.removeFirst();
                }
                newest.addLast(Text.masked(e.message(), 200));
            }
            token = r.nextToken();
            if (token == null) {
                break;
            }
        }
        return new ErrorLines(group, matched, List.copyOf(newest));
    }

    /** The awslogs group of the task definition's essential container; null when it logs elsewhere. */
    private String logGroup(String taskDefinition) {
        if (taskDefinition == null) {
            return null;
        }
        for (ContainerDefinition c : ecs.describeTaskDefinition(b -> b.taskDefinition(taskDefinition))
                .taskDefinition()
                .containerDefinitions()) {
            LogConfiguration l = c.logConfiguration();
            if (!Boolean.FALSE.equals(c.essential()) && l != null && "awslogs".equals(l.logDriverAsString())) {
                return l.options().get("awslogs-group");
            }
        }
        return null;
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
        return alarms.datapoints(metric, now, window);
    }

    @Override
    public AlarmNow alarmNow(String name) {
        return alarms.alarmNow(name);
    }

    @Override
    public Instant alarmStart(String alarmName, Instant before) {
        return alarms.alarmStart(alarmName, before);
    }
}
