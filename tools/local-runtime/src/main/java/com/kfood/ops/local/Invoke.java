package com.kfood.ops.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.LocalContext;
import com.kfood.ops.emulator.Template;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Errors;
import com.kfood.ops.shared.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./ops invoke <LogicalId> [-e EVENT.json] [--env-vars FILE.json]}: runs a function's handler
 * as {@code sam local invoke} would, in this JVM. Result JSON to stdout, logs to stderr; exit 0 when
 * the handler returned, 1 when it threw, 2 for a usage error.
 */
final class Invoke {
    static final int OK = 0;
    static final int THREW = 1;
    static final int USAGE = 2;

    private Invoke() {}

    static int run(String[] args, Path root, Map<String, String> shell) {
        String logicalId = null;
        String eventFile = null;
        String envVarsFile = null;
        String configEnv = "local";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-e", "--event" -> eventFile = ++i < args.length ? args[i] : null;
                case "--env-vars", "-n" -> envVarsFile = ++i < args.length ? args[i] : null;
                case "--config-env" -> configEnv = ++i < args.length ? args[i] : null;
                default -> {
                    if (args[i].startsWith("-") || logicalId != null) {
                        return usage("unexpected argument '" + args[i] + "'");
                    }
                    logicalId = args[i];
                }
            }
        }
        if (logicalId == null) {
            return usage("usage: ops invoke <LogicalId> [-e EVENT.json] [--env-vars FILE.json]");
        }
        ResolvedStack stack;
        try {
            stack = ResolvedStack.load(root, configEnv, account(shell));
        } catch (IOException | RuntimeException e) {
            return usage("cannot read template.yaml or samconfig.toml: " + e.getMessage());
        }
        if (!stack.functions().containsKey(logicalId)) {
            return usage(
                    "unknown function '" + logicalId + "'; the template has " + String.join(", ", stack.functionIds()));
        }
        byte[] event;
        try {
            event = eventFile == null
                    ? "{}".getBytes(StandardCharsets.UTF_8)
                    : eventFile.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(eventFile));
        } catch (IOException e) {
            return usage("cannot read event file " + eventFile + ": " + e.getMessage());
        }
        Map<String, String> env;
        try {
            env = environment(stack, logicalId, envVarsFile, shell);
        } catch (IOException | IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        String handler = stack.functions().get(logicalId).handler();
        if (shell.containsKey("KFOOD_OPS_TIMING")) {
            // the benchmark's measure of the local runtime's own work before the handler
            System.err.printf(
                    Locale.ROOT, "ops-timing: before-handler-ms=%.1f%n", (System.nanoTime() - Main.STARTED) / 1e6);
        }
        return invoke(handler, Env.of(env), List.of(event), context(logicalId, env));
    }

    /**
     * {@code ./ops aot}'s training run: several sample events through one instance, as a warm Lambda
     * takes them, so that the cache holds the classes of every path they take (a first backup and the
     * next day's, an alarm and its recovery), not only the first event's.
     */
    static int train(String[] args, Path root, Map<String, String> shell) {
        if (args.length < 2) {
            return usage("usage: train <LogicalId> EVENT.json...");
        }
        String logicalId = args[0];
        Map<String, String> env;
        List<byte[]> events = new ArrayList<>();
        try {
            ResolvedStack stack = ResolvedStack.load(root, "local", account(shell));
            if (!stack.functions().containsKey(logicalId)) {
                return usage("unknown function '" + logicalId + "'");
            }
            env = environment(stack, logicalId, null, shell);
            for (String file : Arrays.copyOfRange(args, 1, args.length)) {
                events.add(Files.readAllBytes(Path.of(file)));
            }
            return invoke(stack.functions().get(logicalId).handler(), Env.of(env), events, context(logicalId, env));
        } catch (IOException | RuntimeException e) {
            return usage("training run of " + logicalId + ": " + e.getMessage());
        }
    }

    private static LocalContext context(String logicalId, Map<String, String> env) {
        return new LocalContext(
                logicalId,
                Integer.parseInt(env.get("AWS_LAMBDA_FUNCTION_TIMEOUT")),
                Integer.parseInt(env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")));
    }

    /**
     * Runs the handler on each event in turn, one instance for all; the handler's stdout (logs, EMF)
     * goes to stderr, each result to stdout. Stops at the first event that throws.
     */
    static int invoke(String handler, Env env, List<byte[]> events, LocalContext context) {
        PrintStream stdout = System.out;
        EmfForwarder emf = new EmfForwarder(System.err);
        System.setOut(new PrintStream(emf, true, StandardCharsets.UTF_8));
        try {
            RequestStreamHandler instance = instantiate(handler, env);
            for (byte[] event : events) {
                ByteArrayOutputStream result = new ByteArrayOutputStream();
                instance.handleRequest(new ByteArrayInputStream(event), result, context);
                stdout.println(result.toString(StandardCharsets.UTF_8));
            }
            return OK;
        } catch (InvocationTargetException e) {
            return threw(stdout, e.getCause());
        } catch (ReflectiveOperationException | ClassCastException e) {
            System.err.println("ops: handler " + handler + " cannot be loaded: " + e);
            return USAGE;
        } catch (IOException | RuntimeException e) {
            return threw(stdout, e);
        } finally {
            System.setOut(stdout);
            forwardMetrics(emf, env);
        }
    }

    /** Against the emulator, the function's EMF metrics are put into its CloudWatch as Lambda's logs would be. */
    private static void forwardMetrics(EmfForwarder emf, Env env) {
        String endpoint = env.optional("AWS_ENDPOINT_URL").orElse("");
        if (!endpoint.startsWith("http://127.0.0.1:") && !endpoint.startsWith("http://localhost:")) {
            return;
        }
        try {
            emf.forward(env);
        } catch (RuntimeException e) {
            System.err.println("ops: the function's EMF metrics were not put into the emulator: " + e.getMessage());
        }
    }

    static RequestStreamHandler instantiate(String handler, Env env) throws ReflectiveOperationException {
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        return (RequestStreamHandler)
                Class.forName(className).getConstructor(Env.class).newInstance(env);
    }

    private static int threw(PrintStream stdout, Throwable e) {
        // shaped like Lambda's error response, without the stack trace
        stdout.println(Json.write(Map.of("errorType", e.getClass().getName(), "errorMessage", Errors.describe(e))));
        return THREW;
    }

    private static String account(Map<String, String> shell) {
        return shell.getOrDefault("KFOOD_OPS_ACCOUNT_ID", "123456789012");
    }

    /** The environment of {@code logicalId}, resolved from the template and samconfig just read. */
    static Map<String, String> environment(
            Template template, SamConfig config, String logicalId, String envVarsFile, Map<String, String> shell)
            throws IOException {
        return environment(ResolvedStack.resolve(template, config, account(shell), ""), logicalId, envVarsFile, shell);
    }

    static Map<String, String> environment(
            ResolvedStack stack, String logicalId, String envVarsFile, Map<String, String> shell) throws IOException {
        ResolvedStack.Function fn = stack.functions().get(logicalId);
        Map<String, String> env = new LinkedHashMap<>();
        String region = shell.getOrDefault("AWS_REGION", stack.region());
        env.put("AWS_REGION", region);
        env.put("AWS_DEFAULT_REGION", region);
        // the deployed name (<stack>-ops-report), as Lambda sets it: IAM names the function by it
        env.put("AWS_LAMBDA_FUNCTION_NAME", fn.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", fn.timeout());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", fn.memory());
        Map<String, String> declared = fn.env();
        env.putAll(declared);
        if (envVarsFile != null) {
            JsonNode overrides;
            try {
                overrides = Json.parseEmbedded(Files.readString(Path.of(envVarsFile)));
            } catch (IOException e) {
                throw new IOException("cannot read --env-vars " + envVarsFile + ": " + e.getMessage());
            }
            if (overrides == null) {
                throw new IOException("--env-vars " + envVarsFile + " is not a JSON object");
            }
            // as sam local invoke: "Parameters" applies to every function, then the function's own;
            // only variables the template declares are overridden
            for (String section : new String[] {"Parameters", logicalId}) {
                overrides.path(section).properties().forEach(e -> {
                    if (declared.containsKey(e.getKey())) {
                        env.put(e.getKey(), e.getValue().asText());
                    }
                });
            }
        }
        shell.forEach((name, value) -> {
            if (name.startsWith("AWS_")) {
                env.put(name, value);
            }
        });
        String endpoint = env.getOrDefault("AWS_ENDPOINT_URL", "");
        if (declared.containsKey("DRILL_DATABASE")
                && (endpoint.startsWith("http://127.0.0.1:") || endpoint.startsWith("http://localhost:"))) {
            // the emulator restores instantly, but nothing listens at the endpoint it returns
            String local = shell.getOrDefault("KFOOD_OPS_DRILL_DB", "127.0.0.1:5432");
            env.put("DRILL_DB_ENDPOINT_OVERRIDE", local);
            System.err.println("ops: " + logicalId + " validates restored instances against the local PostgreSQL "
                    + local + " (the emulator has no database behind a restored instance)");
        }
        return env;
    }

    private static int usage(String message) {
        System.err.println("ops: " + message);
        return USAGE;
    }
}
