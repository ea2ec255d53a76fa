package com.kfood.ops.remediation;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.InvalidEventException;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * AlarmRemediationFunction: SNS-delivered or direct CloudWatch alarm events to {@link Remediation}.
 * A message that is not an alarm is answered (one notification), never thrown back at Lambda, so a
 * poison message is not retried forever.
 */
public final class AlarmRemediationHandler extends OpsHandler {
    private final Remediation remediation;

    public AlarmRemediationHandler() {
        this(Env.system());
    }

    public AlarmRemediationHandler(Env env) {
        this(Ops.create("AlarmRemediationFunction", env));
    }

    AlarmRemediationHandler(Ops ops) {
        this(ops, wire(ops));
    }

    AlarmRemediationHandler(Ops ops, Remediation remediation) {
        super(ops);
        this.remediation = remediation;
    }

    static Remediation wire(Ops ops) {
        boolean allowReboot = ops.env().bool("ALLOW_RDS_REBOOT", false);
        RuleSet rules = ops.env().optional("RUNBOOK_RULES").map(json -> RuleSet.parse(json, allowReboot)).orElseGet(() -> RuleSet.defaults(ops.env(), allowReboot));
        Platform platform = new Platform(ops.aws().build(EcsClient.builder(), "ECS"), ops.aws().build(RdsClient.builder(), "RDS"),
                ops.aws().build(CloudWatchClient.builder(), "CLOUDWATCH"));
        Cooldown cooldown = new Cooldown(Duration.ofMinutes(ops.env().integer("COOLDOWN_MINUTES", 15, 0, 24 * 60)),
                ops.env().integer("MAX_ACTIONS_PER_HOUR", 3, 1, 60));
        return new Remediation(rules, platform, cooldown, ops.notifier(), ops.metrics(), ops.log(), ops.clock(), ops.env().bool("DRY_RUN", false));
    }

    @Override
    protected Runnable[] primingCalls() {
        return remediation.primingCalls();
    }

    @Override
    protected RemediationResult rejected(InvalidEventException e) {
        return new RemediationResult(List.of(remediation.notUnderstood(e.getMessage())));
    }

    @Override
    protected RemediationResult handle(JsonNode event, Context context) {
        List<Decision> decisions = new ArrayList<>();
        for (AlarmParser.Parsed parsed : AlarmParser.parse(event)) {
            decisions.add(parsed.alarm() == null ? remediation.notUnderstood(parsed.problem()) : remediation.handle(parsed.alarm()));
        }
        return new RemediationResult(decisions);
    }
}
