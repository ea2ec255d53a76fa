package com.kfood.ops.shared;

import java.time.Clock;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * What every function is built from, once per execution environment: its environment, a UTC clock,
 * logging, metrics and the AWS client factory. Handlers take an {@link Env} (Lambda passes the real
 * one; tests and the local runtime their own) and build their service from this.
 */
public record Ops(String function, Env env, Clock clock, OpsLog log, OpsMetrics metrics, AwsClients aws) {

    public static final String DEFAULT_NAMESPACE = "KfoodOps";

    public static Ops create(String function, Env env) {
        return create(function, env, new AwsClients(env));
    }

    public static Ops create(String function, Env env, AwsClients aws) {
        Clock clock = Clock.systemUTC();
        OpsLog log = new OpsLog(function, clock);
        return new Ops(
                function,
                env,
                clock,
                log,
                new EmfMetrics(env.string("METRICS_NAMESPACE", DEFAULT_NAMESPACE), function, clock, log),
                aws);
    }

    /** Notifications go to the topic named by {@code NOTIFY_TOPIC_ARN}. */
    public Notifier notifier() {
        String topic = env.requiredArn("NOTIFY_TOPIC_ARN", "sns");
        return new SnsNotifier(
                aws.build(SnsClient.builder(), "SNS"),
                topic,
                env.string("STACK_NAME", "kfood-ops") + "/" + function,
                log);
    }
}
