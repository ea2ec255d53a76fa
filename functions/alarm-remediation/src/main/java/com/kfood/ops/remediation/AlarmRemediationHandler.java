package com.kfood.ops.remediation;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import com.kfood.ops.shared.incident.Incidents;
import com.kfood.ops.shared.incident.S3Incidents;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * AlarmRemediationFunction's Lambda class: CloudWatch alarm state changes (SNS-wrapped or a direct
 * alarm action) to {@link Remediation}.
 */
public final class AlarmRemediationHandler extends OpsHandler {
    public AlarmRemediationHandler() {
        this(Env.system());
    }

    public AlarmRemediationHandler(Env env) {
        super("AlarmRemediationFunction", env, AlarmRemediationHandler::wire);
    }

    static Remediation wire(Ops ops) {
        RemediationConfig config = RemediationConfig.from(ops.env());
        Platform platform = new AwsPlatform(
                ops.aws().build(EcsClient.builder(), "ECS"),
                ops.aws().build(RdsClient.builder(), "RDS"),
                ops.aws().build(CloudWatchClient.builder(), "CLOUDWATCH"),
                ops.aws().build(ApplicationAutoScalingClient.builder(), "APPLICATION_AUTO_SCALING"),
                ops.aws().build(CloudWatchLogsClient.builder(), "CLOUDWATCH_LOGS"));
        Incidents incidents = config.stateBucket()
                .<Incidents>map(bucket -> new S3Incidents(
                        ops.aws()
                                .build(
                                        S3Client.builder()
                                                .forcePathStyle(ops.aws().s3PathStyle()),
                                        "S3"),
                        bucket))
                .orElseGet(Incidents::none);
        return new Remediation(config, platform, incidents, ops.notifier(), ops.metrics(), ops.log(), ops.clock());
    }
}
