package com.kfood.ops.deploy;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.incident.S3Incidents;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.s3.S3Client;

/** DeployNotifierFunction's Lambda class: ECS and CodeDeploy events from EventBridge to {@link DeployNotifier}. */
public final class DeployNotifierHandler extends OpsHandler {
    public DeployNotifierHandler() {
        this(Env.system());
    }

    public DeployNotifierHandler(Env env) {
        super("DeployNotifierFunction", env, DeployNotifierHandler::wire);
    }

    static DeployNotifier wire(Ops ops) {
        DeployConfig config = DeployConfig.from(ops.env());
        Enricher enricher =
                new AwsEnricher(ops.aws().build(EcsClient.builder(), "ECS"), config.ecsCluster(), config.ecsServices());
        Traffic traffic = new AwsTraffic(
                ops.aws().build(ElasticLoadBalancingV2Client.builder(), "ELASTIC_LOAD_BALANCING_V2"),
                ops.aws().build(CloudWatchClient.builder(), "CLOUDWATCH"));
        S3Client s3 =
                ops.aws().build(S3Client.builder().forcePathStyle(ops.aws().s3PathStyle()), "S3");
        OnceMarkers markers = new S3OnceMarkers(s3, config.stateBucket(), ops.log());
        return new DeployNotifier(
                config,
                new DeployNotifier.Lookups(enricher, traffic),
                new DeployNotifier.Memory(markers, new S3Incidents(s3, config.stateBucket())),
                ops.notifier(),
                ops.metrics(),
                ops.log(),
                ops.clock());
    }
}
