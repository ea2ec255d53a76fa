package com.kfood.ops.emulator;

import com.kfood.ops.shared.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * The platform's load balancer in the emulator (one target group per service, both behind its
 * listener) and deployments with the traffic CloudWatch would have recorded around them: a clean
 * one, and one whose new tasks failed (12 target 5xx in its third minute, then no healthy host and
 * the load balancer's own 502s for two minutes).
 */
public final class DemoTraffic {
    public static final String LOAD_BALANCER = "kfood-alb";

    /** Moves the emulator's clock back by the given age (and forward again with zero). */
    @FunctionalInterface
    public interface Clock {
        void setAgo(Duration ago) throws IOException;
    }

    private final ElasticLoadBalancingV2Client elb;
    private final CloudWatchClient cloudWatch;
    private final EcsClient ecs;
    private final AwsClients aws;

    public DemoTraffic(AwsClients aws) {
        // the emulator cannot read the gzip the SDK sends for large PutMetricData requests
        System.setProperty("aws.disableRequestCompression", "true");
        this.aws = aws;
        this.elb = aws.build(ElasticLoadBalancingV2Client.builder(), "ELASTIC_LOAD_BALANCING_V2");
        this.cloudWatch = aws.build(CloudWatchClient.builder(), "CLOUDWATCH");
        this.ecs = aws.build(EcsClient.builder(), "ECS");
    }

    public static String targetGroupName(String service) {
        return service + "-tg";
    }

    /** The load balancer and the services' target groups (made once); returns each service's group ARN. */
    public Map<String, String> ensure(List<String> services) {
        try {
            return ensure(services, DemoNetwork.defaultSubnets(aws.env()), DemoNetwork.defaultVpc(aws.env()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the emulator's network: " + e.getMessage(), e);
        }
    }

    private Map<String, String> ensure(List<String> services, List<String> subnets, String vpc) {
        List<LoadBalancer> existing = elb.describeLoadBalancers().loadBalancers().stream()
                .filter(l -> l.loadBalancerName().equals(LOAD_BALANCER))
                .toList();
        String lb = existing.isEmpty()
                ? elb.createLoadBalancer(b -> b.name(LOAD_BALANCER).subnets(subnets))
                        .loadBalancers()
                        .getFirst()
                        .loadBalancerArn()
                : existing.getFirst().loadBalancerArn();
        Map<String, String> groups = new LinkedHashMap<>();
        for (String service : services) {
            List<TargetGroup> found = elb.describeTargetGroups().targetGroups().stream()
                    .filter(g -> g.targetGroupName().equals(targetGroupName(service)))
                    .toList();
            groups.put(
                    service,
                    found.isEmpty()
                            ? elb.createTargetGroup(b -> b.name(targetGroupName(service))
                                            .protocol("HTTP")
                                            .port(8080)
                                            .vpcId(vpc)
                                            .targetType("ip")
                                            .healthCheckPath("/health"))
                                    .targetGroups()
                                    .getFirst()
                                    .targetGroupArn()
                            : found.getFirst().targetGroupArn());
        }
        if (existing.isEmpty()) {
            List<String> arns = List.copyOf(groups.values());
            String listener = elb.createListener(b -> b.loadBalancerArn(lb)
                            .protocol("HTTP")
                            .port(80)
                            .defaultActions(a -> a.type("forward").targetGroupArn(arns.getFirst())))
                    .listeners()
                    .getFirst()
                    .listenerArn();
            for (int i = 1; i < arns.size(); i++) {
                int priority = i;
                elb.createRule(b -> b.listenerArn(listener)
                        .priority(priority)
                        .conditions(c -> c.field("path-pattern").values("/app" + priority + "/*"))
                        .actions(a -> a.type("forward").targetGroupArn(arns.get(priority))));
            }
        }
        return groups;
    }

    /**
     * The blue/green deployment the CodeDeploy sample events are about, as ECS records it: a task
     * set of {@code service} whose external id is CodeDeploy's deployment id (made once).
     */
    public void blueGreen(String service, String deploymentId, String targetGroupArn) {
        var s = ecs.describeServices(b -> b.cluster(DemoPlatform.CLUSTER).services(service))
                .services()
                .getFirst();
        if (s.taskSets().stream().noneMatch(t -> deploymentId.equals(t.externalId()))) {
            ecs.createTaskSet(b -> b.cluster(DemoPlatform.CLUSTER)
                    .service(service)
                    .taskDefinition(s.taskDefinition())
                    .externalId(deploymentId)
                    .launchType("FARGATE")
                    .loadBalancers(l -> l.targetGroupArn(targetGroupArn)
                            .containerName(service)
                            .containerPort(8080)));
        }
    }

    /**
     * A deployment of {@code service} that ECS started {@code ago} and that ran {@code minutes}, the
     * load balancer's minutes from the hour before it to its end, and its end as EventBridge would
     * deliver it: completed when {@code outage} is false, failed and rolling back when true.
     */
    public String deployment(String service, boolean outage, Duration ago, int minutes, Clock clock)
            throws IOException {
        try {
            clock.setAgo(ago);
            ecs.updateService(
                    b -> b.cluster(DemoPlatform.CLUSTER).service(service).forceNewDeployment(true));
        } finally {
            clock.setAgo(Duration.ZERO);
        }
        Instant start = Instant.now().minus(ago).truncatedTo(ChronoUnit.MINUTES);
        TargetGroup group = elb.describeTargetGroups(b -> b.names(targetGroupName(service)))
                .targetGroups()
                .getFirst();
        String lb = resource(group.loadBalancerArns().getFirst()).substring("loadbalancer/".length());
        List<Dimension> tg = List.of(dim("LoadBalancer", lb), dim("TargetGroup", resource(group.targetGroupArn())));
        List<MetricDatum> data = new ArrayList<>();
        for (int m = -60; m < minutes; m++) {
            Instant at = start.plus(Duration.ofMinutes(m)).plusSeconds(30);
            // the window's minutes 3 to 5 (counted from 1) are the failed deployment's
            boolean down = outage && (m == 3 || m == 4);
            data.add(datum("HealthyHostCount", tg, at, down ? 0 : 2));
            data.add(datum("UnHealthyHostCount", tg, at, down ? 2 : 0));
            data.add(datum("RequestCount", tg, at, down ? 0 : 120));
            data.add(datum("HTTPCode_Target_5XX_Count", tg, at, outage && m == 2 ? 12 : m == -30 ? 1 : 0));
            data.add(datum("HTTPCode_ELB_5XX_Count", List.of(dim("LoadBalancer", lb)), at, down ? 40 : 0));
            data.add(MetricDatum.builder()
                    .metricName("TargetResponseTime")
                    .dimensions(tg)
                    .timestamp(at)
                    .values(0.08, 0.11, 0.15, 0.19)
                    .unit("Seconds")
                    .build());
        }
        for (int i = 0; i < data.size(); i += 500) {
            List<MetricDatum> batch = data.subList(i, Math.min(data.size(), i + 500));
            cloudWatch.putMetricData(b -> b.namespace("AWS/ApplicationELB").metricData(batch));
        }
        return DemoEvents.deployment(
                aws,
                DemoPlatform.CLUSTER,
                service,
                outage ? "FAILED" : "COMPLETED",
                start.plus(Duration.ofMinutes(minutes)).minusSeconds(20));
    }

    private static String resource(String arn) {
        return arn.substring(arn.lastIndexOf(':') + 1);
    }

    private static Dimension dim(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    private static MetricDatum datum(String name, List<Dimension> dims, Instant at, double value) {
        return MetricDatum.builder()
                .metricName(name)
                .dimensions(dims)
                .timestamp(at)
                .value(value)
                .unit("Count")
                .build();
    }
}
