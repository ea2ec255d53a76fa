package com.kfood.ops.local;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

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
