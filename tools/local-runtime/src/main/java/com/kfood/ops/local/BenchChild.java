package com.kfood.ops.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.LocalContext;
import com.kfood.ops.shared.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fresh "Lambda" process of the benchmark: constructs the handler the way Lambda does (no-arg
 * constructor, configuration from the process environment), invokes it once, then {@code warm}
 * more times, and prints one JSON line of measurements. The parent measures from process start.
 */
public final class BenchChild {
    private static int invocations;

    private BenchChild() {}

    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        byte[] first = Files.readAllBytes(Path.of(args[1]));
        byte[] warmEvent = Files.readAllBytes(Path.of(args[2]));
        int warm = Integer.parseInt(args[3]);
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // function logs and EMF: not measured output

        RequestStreamHandler handler = (RequestStreamHandler)
                Class.forName(handlerClass).getConstructor().newInstance();
        Instant ready = Instant.now();
        invoke(handler, first);
        Instant firstResponse = Instant.now();
        List<String> firstCalls = CallTiming.calls();
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();

        double[] overheadMs = new double[warm];
        double[] sdkMs = new double[warm];
        double[] wallMs = new double[warm];
        for (int i = 0; i < warm; i++) {
            long calls = CallTiming.callNanos();
            long wire = CallTiming.wireNanos();
            long start = System.nanoTime();
            JsonNode result = invoke(handler, warmEvent);
            long wall = System.nanoTime() - start;
            wallMs[i] = wall / 1e6;
            // the health check's own work is its checks (parallel: the slowest one), not AWS calls
            double checksMs = result == null
                    ? 0
                    : result.path("checks").findValues("latencyMs").stream()
                            .mapToDouble(JsonNode::asDouble)
                            .max()
                            .orElse(0);
            long inCalls = CallTiming.callNanos() - calls;
            overheadMs[i] = (wall - inCalls) / 1e6 - checksMs;
            sdkMs[i] = (inCalls - (CallTiming.wireNanos() - wire)) / 1e6;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("readyEpochMicros", micros(ready));
        out.put("firstResponseEpochMicros", micros(firstResponse));
        out.put("classesLoaded", classes);
        out.put("warmMedianMs", median(wallMs));
        out.put("warmOverheadMedianMs", median(overheadMs));
        out.put("warmSdkMedianMs", median(sdkMs));
        out.put("peakRssKb", peakRssKb());
        out.put("firstCalls", firstCalls);
        stdout.println(Json.write(out));
        System.exit(0); // health-check threads and HTTP keep-alive must not delay the exit
    }

    private static JsonNode invoke(RequestStreamHandler handler, byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // a counter, not a UUID: Lambda's runtime receives the id, while a UUID would charge the
            // first invocation a SecureRandom initialisation (12-14 ms measured) that Lambda does not
            handler.handleRequest(
                    new ByteArrayInputStream(event),
                    out,
                    new LocalContext("bench-" + ++invocations, "bench", 900, 512));
            return Json.parseEmbedded(
                    out.toString(StandardCharsets.UTF_8)); // the functions' own JSON: no mapper in the measured process
        } catch (RuntimeException e) {
            System.err.println("bench: handler threw " + e);
            return null;
        }
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
