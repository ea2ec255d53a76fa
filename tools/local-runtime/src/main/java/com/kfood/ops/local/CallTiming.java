package com.kfood.ops.local;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The benchmark's accounting of time spent inside AWS SDK calls (marshalling, signing, the wire,
 * parsing the answer; overlapping calls count once) and, of that, on the wire. The SDK loads it
 * for every client from {@code software/amazon/awssdk/global/handlers/execution.interceptors} on
 * the class path: the local runtime's jars carry that file, the functions' jars do not, so nothing
 * is timed in production.
 */
public final class CallTiming implements ExecutionInterceptor {
    private static final BusyTime IN_CALLS = new BusyTime(System::nanoTime);
    private static final BusyTime ON_WIRE = new BusyTime(System::nanoTime);
    private static final ExecutionAttribute<Boolean> ON_WIRE_NOW = new ExecutionAttribute<>("kfood-ops.onWire");
    /** Every call made, as {@code service:Operation}: the benchmark compares them with the Python peer's. */
    private static final List<String> CALLS = new CopyOnWriteArrayList<>();

    /** The calls made so far in this JVM ({@code rds:DescribeDBSnapshots}...), in order of start. */
    static List<String> calls() {
        return List.copyOf(CALLS);
    }

    /** A service's name as both SDKs can agree on it: "Secrets Manager" and "SecretsManager" are "secretsmanager". */
    static String service(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Wall time inside AWS SDK calls in this JVM. */
    static long callNanos() {
        return IN_CALLS.nanos();
    }

    /** Of {@link #callNanos()}, the time with a request on the wire (sent, answer not yet received). */
    static long wireNanos() {
        return ON_WIRE.nanos();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        CALLS.add(service(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)) + ":"
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        IN_CALLS.start();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        offWire(attributes); // a retry: the failed attempt never reached afterTransmission
        attributes.putAttribute(ON_WIRE_NOW, Boolean.TRUE);
        ON_WIRE.start();
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        offWire(attributes);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        offWire(attributes);
        IN_CALLS.end();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        offWire(attributes);
        IN_CALLS.end();
    }

    private static void offWire(ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(ON_WIRE_NOW))) {
            attributes.putAttribute(ON_WIRE_NOW, Boolean.FALSE);
            ON_WIRE.end();
        }
    }
}
