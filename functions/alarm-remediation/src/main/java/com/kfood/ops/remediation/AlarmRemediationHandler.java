package com.kfood.ops.remediation;

import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.rds.RdsClient;

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
        Platform platform = new AwsPlatform(
                ops.aws().build(EcsClient.builder(), "ECS"),
                ops.aws().build(RdsClient.builder(), "RDS"),
                ops.aws().build(CloudWatchClient.builder(), "CLOUDWATCH"));
        return new Remediation(
                RemediationConfig.from(ops.env()), platform, ops.notifier(), ops.metrics(), ops.log(), ops.clock());
    }
}
