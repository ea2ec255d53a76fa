package com.kfood.ops.health;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Futures;
import com.kfood.ops.shared.OpsFunction;
import com.kfood.ops.shared.OpsLog;
import com.kfood.ops.shared.OpsMetrics;
import com.kfood.ops.shared.ScheduleTrigger;
import com.kfood.ops.shared.SecretCache;
import com.kfood.ops.shared.Text;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the checks in parallel: the run lasts about as long as the slowest check, and a check that
 * hangs costs its timeout (plus a little grace), never the function's. One metric set per check:
 * {@code Success} (0/1), {@code LatencyMs}, {@code Degraded} (0/1), dimension {@code Check}; and
 * per run {@code AllChecksUp} (0/1): every configured check up, the union the SLA counts.
 */
public final class HealthRun implements OpsFunction {
    /** Time a check gets beyond its own timeouts before it is abandoned as hung. */
    private static final long GRACE_MS = 500;

    /** The function's result: every check with status, latency and a short error; a dry run wrote no metric. */
    /** How long a check may take, from when it counts as degraded, and whether metrics are left unwritten. */
    public record Limits(long timeoutMs, long degradedMs, boolean dryRun) {}

    public record HealthResult(boolean healthy, long runMs, boolean dryRun, List<CheckResult> checks) {}

    private final List<HealthCheck> checks;
    private final List<CheckResult> notConfigured;
    private final long timeoutMs;
    private final long degradedMs;
    private final Optional<SecretCache> secrets;
    private final boolean dryRun;
    private final OpsMetrics metrics;
    private final OpsLog log;
    private final Clock clock;
    private final ExecutorService pool = Executors.newCachedThreadPool(
            Futures.daemonThreads("health-check")); // a hung check must not keep the runtime alive

    /**
     * {@code secrets}: the cache the checks read their secrets through (dropped after a SnapStart
     * restore); {@code limits.dryRun()}: the checks run (they only read), no metric is written.
     */
    public HealthRun(
            List<HealthCheck> checks,
            List<CheckResult> notConfigured,
            Limits limits,
            Optional<SecretCache> secrets,
            OpsMetrics metrics,
            OpsLog log,
            Clock clock) {
        this.log = log;
        this.clock = clock;
        this.checks = List.copyOf(checks);
        this.notConfigured = List.copyOf(notConfigured);
        this.timeoutMs = limits.timeoutMs();
        this.degradedMs = limits.degradedMs();
        this.secrets = secrets;
        this.dryRun = limits.dryRun();
        this.metrics = metrics;
    }

    /** Loads the checks' drivers and clients without connecting anywhere, and primes the secret read. */
    @Override
    public Runnable[] primingCalls() {
        List<Runnable> calls = new ArrayList<>(List.of(driverLoads()));
        secrets.ifPresent(s -> calls.add(s.primingCall()));
        return calls.toArray(Runnable[]::new);
    }

    @Override
    public void restored() {
        secrets.ifPresent(SecretCache::clear);
    }

    private static Runnable[] driverLoads() {
        return new Runnable[] {
            () -> {
                try {
                    Class.forName("org.postgresql.Driver");
                    Class.forName("redis.clients.jedis.Jedis");
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            },
            HttpCheck::prime,
        };
    }

    /** The schedule's event or a manual {@code {}}; anything else is rejected. */
    @Override
    public HealthResult handle(JsonNode event, Context context) {
        ScheduleTrigger.parse(event, clock);
        HealthResult result = run();
        log.info("health checks", "healthy", result.healthy(), "runMs", result.runMs(), "dryRun", result.dryRun());
        return result;
    }

    public HealthResult run() {
        long start = System.nanoTime();
        List<Future<CheckResult>> futures = new ArrayList<>();
        for (HealthCheck check : checks) {
            futures.add(pool.submit(() -> runOne(check)));
        }
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMs + GRACE_MS);
        List<CheckResult> results = new ArrayList<>(notConfigured);
        for (int i = 0; i < checks.size(); i++) {
            HealthCheck check = checks.get(i);
            Future<CheckResult> f = futures.get(i);
            CheckResult r;
            try {
                r = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                r = new CheckResult(
                        check.name(),
                        safeTarget(check),
                        CheckResult.Status.TIMEOUT,
                        timeoutMs,
                        null,
                        "no answer within " + timeoutMs + " ms");
            } catch (ExecutionException e) {
                r = failed(check, 0, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = failed(check, 0, e);
            }
            results.add(r);
            if (!dryRun) {
                record(r);
            }
        }
        if (!dryRun && !checks.isEmpty()) {
            // the union per minute, where it is known: the report's SLA counts a minute down in any check once
            boolean allUp = results.stream()
                    .filter(r -> r.status() != CheckResult.Status.NOT_CONFIGURED)
                    .allMatch(r -> r.status().up());
            metrics.put("AllChecksUp", allUp ? 1 : 0, OpsMetrics.Unit.COUNT, Map.of());
        }
        long runMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new HealthResult(
                results.stream().allMatch(r -> r.status().up() || r.status() == CheckResult.Status.NOT_CONFIGURED),
                runMs,
                dryRun,
                results);
    }

    private CheckResult runOne(HealthCheck check) {
        long start = System.nanoTime();
        try {
            String detail = check.run();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            CheckResult.Status status = ms > degradedMs ? CheckResult.Status.DEGRADED : CheckResult.Status.OK;
            return new CheckResult(
                    check.name(),
                    safeTarget(check),
                    status,
                    ms,
                    status == CheckResult.Status.DEGRADED ? detail + "; slower than " + degradedMs + " ms" : detail,
                    null);
        } catch (Exception e) {
            return failed(check, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), e);
        }
    }

    private static CheckResult failed(HealthCheck check, long ms, Throwable e) {
        return new CheckResult(check.name(), safeTarget(check), CheckResult.Status.FAILED, ms, null, describe(e));
    }

    /** The innermost useful message: drivers wrap the cause (refused, timed out) in generic text. */
    static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null
                && cause.getCause() != cause
                && (cause.getMessage() == null || cause instanceof CompletionException)) {
            cause = cause.getCause();
        }
        if (e instanceof IllegalStateException && e.getMessage() != null) {
            return Text.printable(e.getMessage(), 300);
        }
        String root = cause.getCause() == null ? null : rootMessage(cause.getCause());
        String text = Errors.describe(cause)
                + (root == null || Errors.describe(cause).contains(root) ? "" : " (" + root + ")");
        return Text.printable(text, 300);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String safeTarget(HealthCheck check) {
        try {
            return check.target();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void record(CheckResult r) {
        Map<String, String> dims = Map.of("Check", r.name());
        metrics.put("Success", r.status().up() ? 1 : 0, OpsMetrics.Unit.COUNT, dims);
        metrics.put("LatencyMs", r.latencyMs(), OpsMetrics.Unit.MILLISECONDS, dims);
        metrics.put("Degraded", r.status() == CheckResult.Status.DEGRADED ? 1 : 0, OpsMetrics.Unit.COUNT, dims);
    }
}
