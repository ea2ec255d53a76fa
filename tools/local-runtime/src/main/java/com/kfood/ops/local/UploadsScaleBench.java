package com.kfood.ops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Emulator;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.shared.AwsClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./ops bench-uploads-scale}: the uploads backup at a video platform's scale. The function's
 * own code, in its deployable jar and with Lambda's memory ({@code -XX:MaxRAM} of its
 * MemorySize), backs up a source of N objects served by {@link SyntheticS3} (the rest of AWS is the
 * emulator): the first day, invoked again while it stops at its deadline, then the second day with a
 * share of the objects changed. Per day: wall time, the process's CPU time, its peak RSS (GNU time),
 * objects listed and copied, S3 requests by operation, invocations.
 */
final class UploadsScaleBench {
    private static final List<String> DAYS = List.of("2026-11-25T18:00:00Z", "2026-11-26T18:00:00Z");
    private static final int MAX_INVOCATIONS = 30;

    /** One day of the function: its invocations' sum, the peak of their RSS. */
    record Day(
            int invocations,
            double seconds,
            double cpuSeconds,
            long peakRssKib,
            long listed,
            long copied,
            Map<String, Long> requests) {
        long requestCount() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Path root;
    private final Path work;
    private final Path jar;
    private final int memoryMib;
    private final Map<String, String> env = new HashMap<>();

    private UploadsScaleBench(Path root, Path work, Path jar, int memoryMib) {
        this.root = root;
        this.work = work;
        this.jar = jar;
        this.memoryMib = memoryMib;
    }

    static int run(String[] args, Path root) throws Exception {
        int objects = 1_000_000;
        int changedPercent = 2;
        Path write = null;
        Path jar = root.resolve("build/dist/snapshot-function.jar");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--objects" -> objects = Integer.parseInt(args[i + 1]);
                case "--changed-percent" -> changedPercent = Integer.parseInt(args[i + 1]);
                case "--write" -> write = root.resolve(args[i + 1]);
                case "--jar" -> jar = Path.of(args[i + 1]).toAbsolutePath();
                default -> throw new IllegalArgumentException("bench-uploads-scale: unknown argument " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("kfood-bench-uploads-scale");
        int memory = Integer.parseInt(ResolvedStack.load(root, "local", "123456789012")
                .functions()
                .get("SnapshotFunction")
                .memory());
        try (Emulator emulator = Emulator.start(Emulator.freePort(), work, Map.of());
                SyntheticS3 s3 = new SyntheticS3(objects)) {
            UploadsScaleBench bench = new UploadsScaleBench(root, work, jar, memory);
            bench.env.putAll(DemoPlatform.emulatorEnv(emulator.endpoint()).vars());
            bench.env.put("AWS_ENDPOINT_URL_S3", s3.endpoint());
            new DemoPlatform(new AwsClients(DemoPlatform.emulatorEnv(emulator.endpoint()))).seed();
            Day first = bench.day(0, s3);
            s3.nextDay(changedPercent);
            Day second = bench.day(1, s3);
            String table = table(objects, changedPercent, memory, first, second, s3.changed());
            System.out.print(table);
            if (write != null) {
                Files.writeString(write, table);
            }
        }
        return 0;
    }

    /** The day's invocations until its uploads backup is COMPLETE (or it stops progressing). */
    private Day day(int d, SyntheticS3 s3) throws IOException, InterruptedException {
        Path event = work.resolve("day" + d + ".json");
        Files.writeString(
                event,
                Files.readString(root.resolve("events/snapshot/scheduler.json")).replace(DAYS.get(0), DAYS.get(d)));
        Path envVars = work.resolve("env.json");
        Files.writeString(
                envVars,
                "{\"Parameters\": {\"BACKUP_SOURCE_BUCKET\": \"" + SyntheticS3.SOURCE + "\", \"BACKUP_BUCKET\": \""
                        + SyntheticS3.BACKUP + "\", \"DR_REGION\": \"\"}}");
        int invocations = 0;
        double seconds = 0;
        double cpu = 0;
        long rss = 0;
        long copied = 0;
        long listed = 0;
        Map<String, Long> requests = new HashMap<>();
        String status = "";
        while (!status.equals("COMPLETE") && invocations < MAX_INVOCATIONS) {
            invocations++;
            long start = System.nanoTime();
            JsonNode out = invoke(event, envVars);
            seconds += (System.nanoTime() - start) / 1e9;
            String[] time = Files.readString(work.resolve("time")).trim().split("\\s+");
            rss = Math.max(rss, Long.parseLong(time[0]));
            cpu += Double.parseDouble(time[1]) + Double.parseDouble(time[2]);
            JsonNode uploads = out.path("uploads");
            status = uploads.path("status").asText();
            copied += uploads.path("copied").asLong();
            listed = uploads.path("copied").asLong()
                    + uploads.path("alreadyCopied").asLong();
            s3.takeCalls().forEach((k, v) -> requests.merge(k, v, Long::sum));
            if (!status.equals("COMPLETE") && !status.equals("INCOMPLETE")) {
                throw new IllegalStateException(
                        "day " + (d + 1) + ": the uploads backup ended " + status + ": " + uploads);
            }
        }
        return new Day(invocations, seconds, cpu, rss, listed, copied, requests);
    }

    private JsonNode invoke(Path event, Path envVars) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "/usr/bin/time",
                "-f",
                "%M %U %S",
                "-o",
                work.resolve("time").toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxRAM=" + memoryMib + "m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dkfood.ops.root=" + root,
                "-cp",
                jar + ":" + root.resolve("build/dist/local-runtime.jar"),
                "com.kfood.ops.local.Main",
                "invoke",
                "SnapshotFunction",
                "-e",
                event.toString(),
                "--env-vars",
                envVars.toString()));
        return Mapper.get().readTree(UploadsBench.process(command, env, work.resolve("bench.log")));
    }

    static String table(int objects, int changedPercent, int memory, Day first, Day second, int changed) {
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "| Objects | Day | Invocations | Wall | CPU (process) | CPU per listed object | Peak RSS (MaxRAM %d MiB) | Listed | Copied | S3 requests |%n"
                        + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|%n",
                memory));
        String[] names = {"first (all new)", "second (" + changedPercent + " % changed)"};
        Day[] days = {first, second};
        for (int d = 0; d < 2; d++) {
            Day day = days[d];
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %s | %d | %.1f s | %.1f s | %.1f µs | %d MiB | %,d | %,d | %,d: %s |%n",
                    objects,
                    names[d],
                    day.invocations(),
                    day.seconds(),
                    day.cpuSeconds(),
                    day.cpuSeconds() * 1e6 / Math.max(1, day.listed()),
                    day.peakRssKib() / 1024,
                    day.listed(),
                    day.copied(),
                    day.requestCount(),
                    day.requests()));
        }
        out.append(String.format(
                Locale.ROOT,
                "day2: objects=%d changed=%d seconds=%.1f peak_rss_mib=%d invocations=%d%n",
                objects,
                changed,
                second.seconds(),
                second.peakRssKib() / 1024,
                second.invocations()));
        return out.toString();
    }
}
