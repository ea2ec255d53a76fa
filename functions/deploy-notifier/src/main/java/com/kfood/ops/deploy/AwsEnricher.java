package com.kfood.ops.deploy;

import com.kfood.ops.shared.Errors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskSet;

/**
 * Best-effort facts for a deployment event from ECS (service, deployments, task definitions). A
 * lookup that fails is recorded, never thrown: the notification always goes out with what the event
 * itself had. A CodeDeploy event's notification carries the facts the event has (application,
 * deployment group, deployment id, state); where its traffic flowed and since when is read from
 * ECS, whose task set of a blue/green deployment records CodeDeploy's deployment id.
 */
public final class AwsEnricher implements Enricher {
    private static final Pattern ROLLBACK_TARGET = Pattern.compile("rolling back to deploymentId (\\S+?)\\.?$");

    private final EcsClient ecs;
    private final String cluster;
    private final List<String> services;
    /** The service described for the event in hand (see service()). */
    private DeployEvent describedFor;

    private Service described;

    /** {@code cluster} and {@code services}: where a CodeDeploy deployment's task set is looked for. */
    public AwsEnricher(EcsClient ecs, String cluster, List<String> services) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.services = List.copyOf(services);
    }

    @Override
    public Runnable[] primingCalls() {
        return new Runnable[] {
            () -> ecs.describeServices(b -> b.cluster("priming").services("priming")),
            () -> ecs.describeTaskDefinition(b -> b.taskDefinition("priming:1")),
        };
    }

    @Override
    public Enrichment enrich(DeployEvent event) {
        List<String> errors = new ArrayList<>();
        try {
            return event.kind() == DeployEvent.Kind.CODEDEPLOY ? Enrichment.none(List.of()) : ecs(event, errors);
        } catch (SdkException e) {
            errors.add(Errors.describe(e));
            return Enrichment.none(List.copyOf(errors));
        }
    }

    @Override
    public Placement placement(DeployEvent event) {
        try {
            return event.kind() == DeployEvent.Kind.CODEDEPLOY ? codeDeployPlacement(event) : ecsPlacement(event);
        } catch (SdkException e) {
            return Placement.unknown(Errors.describe(e));
        }
    }

    /** The ECS deployment's creation and the service's target groups (the service described once per event). */
    private Placement ecsPlacement(DeployEvent event) {
        Service s = service(event);
        if (s == null) {
            return Placement.unknown("service " + event.subject() + " not found");
        }
        List<String> groups = s.loadBalancers().stream()
                .map(LoadBalancer::targetGroupArn)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        Instant started = s.deployments().stream()
                .filter(d -> d.id().equals(event.deploymentId()))
                .map(Deployment::createdAt)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        return Placement.of(started, groups);
    }

    /**
     * A CodeDeploy blue/green deployment's start and target groups, from the ECS task set it created
     * (its external id is the deployment id): the blue and the green group both. ECS deletes a rolled
     * back task set, so a failed deployment may no longer be found.
     */
    private Placement codeDeployPlacement(DeployEvent event) {
        if (services.isEmpty()) {
            return Placement.unknown("ECS_SERVICES is not set");
        }
        for (Service s :
                ecs.describeServices(b -> b.cluster(cluster).services(services)).services()) {
            TaskSet own = s.taskSets().stream()
                    .filter(t -> event.deploymentId().equals(t.externalId()))
                    .findFirst()
                    .orElse(null);
            if (own != null) {
                List<String> groups = s.taskSets().stream()
                        .flatMap(t -> t.loadBalancers().stream())
                        .map(LoadBalancer::targetGroupArn)
                        .filter(Objects::nonNull)
                        .distinct()
                        .toList();
                return Placement.of(own.createdAt(), groups);
            }
        }
        return Placement.unknown("no task set of " + String.join(", ", services) + " belongs to it");
    }

    @Override
    public boolean deploying(DeployEvent event) {
        try {
            Service s = service(event);
            return s != null
                    && (s.deployments().size() > 1
                            || s.deployments().stream().anyMatch(d -> "IN_PROGRESS".equals(d.rolloutStateAsString())));
        } catch (SdkException e) {
            return false;
        }
    }

    /**
     * The service as ECS describes it for this event: described once per event, so a task stop that
     * is checked for a running deployment and then enriched costs one DescribeServices, not two.
     * Keyed by the event object: a redelivery is a new event and is described afresh.
     */
    private Service service(DeployEvent event) {
        if (event != describedFor) {
            described = describe(event);
            describedFor = event; // only once described: a failed call is tried again by the next lookup
        }
        return described;
    }

    private Service describe(DeployEvent event) {
        return ecs
                .describeServices(b -> {
                    b.services(event.service());
                    if (event.cluster() != null) {
                        b.cluster(event.cluster());
                    }
                })
                .services()
                .stream()
                .findFirst()
                .orElse(null);
    }

    private Enrichment ecs(DeployEvent event, List<String> errors) {
        Service s = service(event);
        if (s == null) {
            errors.add("service " + event.subject() + " not found");
            return Enrichment.none(List.copyOf(errors));
        }
        Deployment current = s.deployments().stream()
                .filter(d -> d.id().equals(event.deploymentId()))
                .findFirst()
                .orElse(s.deployments().stream()
                        .filter(d -> "PRIMARY".equals(d.status()))
                        .findFirst()
                        .orElse(null));
        Deployment other = s.deployments().stream()
                .filter(d ->
                        d != current && !d.taskDefinition().equals(current == null ? null : current.taskDefinition()))
                .findFirst()
                .orElse(null);
        String after = current == null ? s.taskDefinition() : current.taskDefinition();
        String before = other == null ? null : other.taskDefinition();
        if (event.isRollback()) {
            // during a rollback the primary deployment is the one being restored
            String swap = after;
            after = before;
            before = swap;
        }
        TaskDefinition afterTd = taskDefinition(after, errors);
        TaskDefinition beforeTd = taskDefinition(before, errors);
        Long duration = null;
        // only the event's own deployment says how long it took; the primary one may be another
        if (current != null && current.createdAt() != null && current.id().equals(event.deploymentId())) {
            Instant end = event.time() != null ? event.time() : current.updatedAt();
            duration = end == null
                    ? null
                    : Math.max(0, Duration.between(current.createdAt(), end).toSeconds());
        }
        Matcher rollback = event.reason() == null ? null : ROLLBACK_TARGET.matcher(event.reason());
        return new Enrichment(
                revision(before),
                revision(after),
                image(beforeTd),
                image(afterTd),
                s.desiredCount(),
                s.runningCount(),
                duration,
                rollback != null && rollback.find() ? rollback.group(1) : null,
                logGroup(afterTd != null ? afterTd : beforeTd),
                current == null ? null : current.rolloutStateAsString(),
                List.copyOf(errors));
    }

    private TaskDefinition taskDefinition(String arn, List<String> errors) {
        if (arn == null) {
            return null;
        }
        try {
            return ecs.describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition();
        } catch (SdkException e) {
            errors.add("task definition " + revision(arn) + ": " + Errors.describe(e));
            return null;
        }
    }

    /** {@code family:revision} from a task definition ARN. */
    static String revision(String arn) {
        return arn == null ? null : arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** The essential container's image tag (the commit the CI pushed), else the first container's. */
    static String image(TaskDefinition td) {
        if (td == null || td.containerDefinitions().isEmpty()) {
            return null;
        }
        ContainerDefinition c = td.containerDefinitions().stream()
                .filter(x -> !Boolean.FALSE.equals(x.essential()))
                .findFirst()
                .orElse(td.containerDefinitions().getFirst());
        String image = c.image();
        int slash = image.lastIndexOf('/');
        int at = image.indexOf('@', slash);
        int colon = image.indexOf(':', slash);
        return at > 0
                ? image.substring(at + 1, Math.min(image.length(), at + 20))
                : colon > 0 ? image.substring(colon + 1) : "latest";
    }

    private static String logGroup(TaskDefinition td) {
        if (td == null) {
            return null;
        }
        return td.containerDefinitions().stream()
                .filter(c -> c.logConfiguration() != null
                        && "awslogs".equals(c.logConfiguration().logDriverAsString()))
                .map(c -> c.logConfiguration().options().get("awslogs-group"))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }
}
