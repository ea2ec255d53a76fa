package com.kfood.ops.local;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;

/**
 * {@code ./ops bench-uploads}: the uploads backup's days side by side on one emulator, the
 * function's run ({@code ./ops invoke SnapshotFunction}) against the plan's {@code aws s3 sync}
 * into the day's prefix and a boto3 script doing the plan's copy. The first day copies everything
 * on every side; the second, with a share of the objects changed, is where they part; a third,
 * with nothing changed, shows what a quiet day costs. S3 calls are counted from the emulator's own
 * request log, so every side is counted the same way; storage is every version each side keeps.
 */
final class UploadsBench {
    private static final List<String> DAYS =
            List.of("2026-11-25T18:00:00Z", "2026-11-26T18:00:00Z", "2026-11-27T18:00:00Z");

    private final Path root;
    private final Path work;
    private final Emulator emulator;
    private final Map<String, String> aws;
    private final S3Client s3;

    private UploadsBench(Path root, Path work, Emulator emulator) {
        this.root = root;
        this.work = work;
        this.emulator = emulator;
        this.aws = new HashMap<>(DemoPlatform.emulatorEnv(emulator.endpoint()).vars());
        this.s3 = new AwsClients(DemoPlatform.emulatorEnv(emulator.endpoint()))
                .build(S3Client.builder().forcePathStyle(true), "S3");
    }

    /** One side's day: wall time, S3 calls, objects copied. */
    private record Day(double ms, long s3Calls, long copied) {}

    static int run(String[] args, Path root) throws Exception {
        int objects = 2000;
        int changedPercent = 2;
        Path write = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--objects" -> objects = Integer.parseInt(args[i + 1]);
                case "--changed-percent" -> changedPercent = Integer.parseInt(args[i + 1]);
                case "--write" -> write = root.resolve(args[i + 1]);
                default -> throw new IllegalArgumentException("bench-uploads: unknown argument " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("kfood-bench-uploads");
        try (Emulator emulator = Emulator.start(Emulator.freePort(), work, Map.of("MOTO_ECS_SERVICE_RUNNING", "2"))) {
            String table = new UploadsBench(root, work, emulator).measure(objects, changedPercent);
            System.out.print(table);
            if (write != null) {
                Files.writeString(write, table);
            }
        }
        return 0;
    }

    private String measure(int objects, int changedPercent) throws Exception {
        new DemoPlatform(new AwsClients(DemoPlatform.emulatorEnv(emulator.endpoint()))).seed();
        for (String bucket : List.of("bench-src", "bench-function", "bench-sync", "bench-boto3")) {
            s3.createBucket(b -> b.bucket(bucket)
                    .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.AP_NORTHEAST_2)));
        }
        // the function's backup bucket is versioned, as the template makes it
        s3.putBucketVersioning(b -> b.bucket("bench-function").versioningConfiguration(v -> v.status("Enabled")));
        put(0, objects, "day one");
        Path envVars = work.resolve("env.json");
        Files.writeString(
                envVars,
                "{\"Parameters\": {\"BACKUP_SOURCE_BUCKET\": \"bench-src\", \"BACKUP_BUCKET\": \"bench-function\","
                        + " \"DR_REGION\": \"\"}}");
        List<Day[]> days = new ArrayList<>();
        for (int d = 0; d < DAYS.size(); d++) {
            if (d == 1) {
                put(0, objects * changedPercent / 100, "day two, changed"); // the first objects, rewritten
            }
            String day = DAYS.get(d).substring(0, 10).replace("-", "");
            Day function = function(d, envVars);
            Day sync = timed(
                    List.of(
                            "aws",
                            "--endpoint-url",
                            aws.get("AWS_ENDPOINT_URL"),
                            "--region",
                            DemoPlatform.REGION,
                            "s3",
                            "sync",
                            "--only-show-errors",
                            "s3://bench-src",
                            "s3://bench-sync/uploads/" + day + "/"),
                    objects);
            Day boto3 = timed(
                    List.of(
                            "python3",
                            root.resolve("bench/peers/uploads_plan.py").toString(),
                            "bench-src",
                            "bench-boto3",
                            day),
                    objects);
            days.add(new Day[] {function, sync, boto3});
        }
        long functionBytes = storedVersions("bench-function", "uploads/current/");
        long manifestBytes = storedVersions("bench-function", "uploads/manifests/");
        long syncBytes = storedVersions("bench-sync", "");
        long boto3Bytes = storedVersions("bench-boto3", "");
        long sourceBytes = storedVersions("bench-src", "");
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "# Uploads backup: the second day%n%nOne emulator, %d small objects, %d %% of them changed before the"
                        + " second day, nothing before the third. Wall time of the whole command (the function's"
                        + " includes its JVM, the snapshot and the notification), S3 calls from the emulator's"
                        + " request log, objects copied.%n%n"
                        + "| Day | This function (`./ops invoke SnapshotFunction`) | `aws s3 sync` into the day's prefix (the plan) | boto3, the plan's copy |%n"
                        + "|---|---|---|---|%n",
                objects,
                changedPercent));
        String[] names = {"first (all new)", "second (" + changedPercent + " % changed)", "third (no change)"};
        for (int d = 0; d < days.size(); d++) {
            Day[] row = days.get(d);
            out.append("| ").append(names[d]);
            for (Day side : row) {
                out.append(String.format(
                        Locale.ROOT,
                        " | %.1f s, %d S3 calls, %d copied",
                        side.ms() / 1000,
                        side.s3Calls(),
                        side.copied()));
            }
            out.append(" |\n");
        }
        Day[] second = days.get(1);
        out.append(String.format(
                Locale.ROOT,
                "%nSecond day: the function %.1fx faster than the sync, %.1fx than boto3. Stored after three days"
                        + " (every version kept): the function %.2f x the source (%d bytes of objects, plus %d bytes"
                        + " of the three daily manifests), the sync %.2f x, boto3 %.2f x (the source holds %d bytes).%n",
                second[1].ms() / second[0].ms(),
                second[2].ms() / second[0].ms(),
                (double) functionBytes / sourceBytes,
                functionBytes,
                manifestBytes,
                (double) syncBytes / sourceBytes,
                (double) boto3Bytes / sourceBytes,
                sourceBytes));
        return out.toString();
    }

    private Day function(int d, Path envVars) throws IOException, InterruptedException {
        Path event = work.resolve("day" + d + ".json");
        Files.writeString(
                event,
                Files.readString(root.resolve("events/snapshot/scheduler.json"))
                        .replace("2026-11-25T18:00:00Z", DAYS.get(d)));
        long before = s3Calls();
        long start = System.nanoTime();
        String out = process(List.of(
                "bash",
                root.resolve("ops").toString(),
                "invoke",
                "SnapshotFunction",
                "-e",
                event.toString(),
                "--env-vars",
                envVars.toString()));
        double ms = (System.nanoTime() - start) / 1e6;
        long copied = Mapper.get().readTree(out).at("/uploads/copied").asLong();
        return new Day(ms, s3Calls() - before, copied);
    }

    private Day timed(List<String> command, long copies) throws IOException, InterruptedException {
        long before = s3Calls();
        long start = System.nanoTime();
        process(command);
        return new Day((System.nanoTime() - start) / 1e6, s3Calls() - before, copies);
    }

    private String process(List<String> command) throws IOException, InterruptedException {
        return process(command, aws, work.resolve("bench.log"));
    }

    /** The command's standard output; its errors appended to {@code log}; a failure names the log. */
    static String process(List<String> command, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command.subList(0, Math.min(3, command.size())))
                    + "... failed (exit " + p.exitValue() + "); see " + log);
        }
        return out;
    }

    /** The emulator's S3 requests so far (path-style: the bench's buckets lead the path). */
    private long s3Calls() throws IOException {
        try (var lines = Files.lines(work.resolve("moto.log"))) {
            return lines.filter(l -> l.contains("\"GET /bench-")
                            || l.contains("\"PUT /bench-")
                            || l.contains("\"POST /bench-")
                            || l.contains("\"HEAD /bench-")
                            || l.contains("\"DELETE /bench-"))
                    .count();
        }
    }

    private void put(int from, int count, String text) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = from; i < from + count; i++) {
            String key = String.format("media/%05d.jpg", i);
            pool.submit(
                    () -> s3.putObject(b -> b.bucket("bench-src").key(key), RequestBody.fromString(text + " " + key)));
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("seeding the source took too long");
        }
    }

    /** Bytes of every version a bucket keeps under a prefix. */
    private long storedVersions(String bucket, String prefix) {
        return s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix)).versions().stream()
                .mapToLong(v -> v.size() == null ? 0 : v.size())
                .sum();
    }
}
