package com.kfood.ops.testsupport;

import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Ops;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@link Ops} a unit test builds a handler from: a region and credentials that reach nothing
 * (the secret key is {@link HostileChecks#SECRET}, which must never show up anywhere), the test's
 * clock, log and metrics, and any variables the test adds.
 */
public final class TestOps {
    private TestOps() {}

    /** Fake AWS settings plus {@code vars} (name, value, name, value...). */
    public static Env env(String... vars) {
        Map<String, String> m = new HashMap<>(Map.of(
                "AWS_REGION",
                "ap-northeast-2",
                "AWS_ACCESS_KEY_ID",
                "x",
                "AWS_SECRET_ACCESS_KEY",
                HostileChecks.SECRET));
        for (int i = 0; i + 1 < vars.length; i += 2) {
            m.put(vars[i], vars[i + 1]);
        }
        return Env.of(m);
    }

    public static Ops of(String function, Env env, Clock clock, OpsLog log, OpsMetrics metrics) {
        return new Ops(function, env, clock, log, metrics, new AwsClients(env));
    }
}
