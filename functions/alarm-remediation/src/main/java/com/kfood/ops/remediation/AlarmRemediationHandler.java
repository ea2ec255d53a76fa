package com.kfood.ops.remediation;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * AlarmRemediationFunction: CloudWatch alarm state changes (SNS-wrapped or a direct alarm action)
 * to {@link Remediation}. A message it cannot read is answered, not thrown: SNS would only retry it.
 */
public final class AlarmRemediationHandler extends OpsHandler<Remediation> {
    public AlarmRemediationHandler() {
        this(Env.system());
    }

    public AlarmRemediationHandler(Env env) {
        super("AlarmRemediationFunction", env, AlarmRemediationHandler::wire);
    }

    AlarmRemediationHandler(Ops ops, Remediation remediation) {
        super(ops, remediation);
    }

    static Remediation wire(Ops ops) {
        RemediationConfig config = RemediationConfig.from(ops.env());
        Platform platform = new AwsPlatform(
                ops.aws().build(EcsClient.builder(), "ECS"),
                ops.aws().build(RdsClient.builder(), "RDS"),
                ops.aws().build(CloudWatchClient.builder(), "CLOUDWATCH"));
        return new Remediation(config, platform, ops.notifier(), ops.metrics(), ops.log(), ops.clock());
    }

    @Override
    protected RemediationResult rejected(InvalidEventException e) {
        return new RemediationResult(List.of(service.notUnderstood(e.getMessage())));
    }

    @Override
    protected RemediationResult handle(JsonNode event, Context context) {
        List<Decision> decisions = new ArrayList<>();
        for (AlarmParser.Parsed parsed : AlarmParser.parse(event)) {
            decisions.add(
                    parsed.alarm() == null ? service.notUnderstood(parsed.problem()) : service.handle(parsed.alarm()));
        }
        return new RemediationResult(decisions);
    }
}
