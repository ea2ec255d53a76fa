package com.kfood.ops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Emulator;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.emulator.Template;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./ops bench}: cold start and warm cost of every function in fresh JVMs against a private
 * emulator, next to a Python boto3 script doing the same AWS work and to the AWS CLI commands the
 * old backup.sh ran. Prints a markdown table; never part of the tests.
 */
final class Bench {
    /** A function under test: its module, first-invocation event per run, warm event, Python mode. */
    record Subject(String id, String module, String python, String warmEvent) {
        Path jar(Path root) {
            return root.resolve("build/dist/" + module + "-function.jar");
        }

        /** The deployable jar and the runner's own classes: nothing a Lambda would not carry. */
        String classpath(Path root) {
            return jar(root) + ":" + root.resolve("build/dist/bench-support.jar");
        }

        String handlerClass(Template template) {
            return String.valueOf(template.functionProperty(id, "Handler")).split("::")[0];
        }

        /** Every sample event of the function: the folder of its warm event. */
        List<Path> events(Path root) throws IOException {
            try (Stream<Path> files = Files.list(root.resolve(warmEvent).getParent())) {
                return files.filter(f -> f.toString().endsWith(".json"))
                        .sorted()
                        .toList();
            }
        }
    }

    static final List<Subject> SUBJECTS = List.of(
            // the prune first: it judges the history production holds at steady state, not that plus
            // the snapshots the snapshot rows create (some 50 more in a full run)
            new Subject("PruneFunction", "prune", "prune", "events/prune/manual-dry-run.json"),
            new Subject("SnapshotFunction", "snapshot", "snapshot", "events/snapshot/scheduler.json"),
            new Subject(
                    "AlarmRemediationFunction",
                    "alarm-remediation",
                    "alarm",
                    "events/alarm/sns-backend-5xx-alarm.json"),
            new Subject(
                    "DeployNotifierFunction",
                    "deploy-notifier",
                    "deploy",
                    "events/deploy/ecs-deployment-completed.json"),
            new Subject("HealthCheckFunction", "health-check", "health", "events/health/scheduler.json"),
            new Subject("DatabaseCareFunction", "database-care", "care", "events/care/scheduler.json"),
            new Subject("RestoreDrillFunction", "restore-drill", "drill", "events/drill/manual-dry-run.json"),
            new Subject("OpsReportFunction", "ops-report", "report", "events/report/manual-dry-run.json"));

    /** A JVM configuration compared in the table. */
    private record Config(String name, List<String> flags) {}

    private final Path root;
    private final Path work;
    private final String java;
    private final int runs;
    private final int warm;

    private final List<Subject> subjects;

    /** Appended to the flags of every measured JVM, for experiments (logging, a flag under test). */
    private final List<String> extraFlags;

    private Bench(Path root, int runs, int warm, List<Subject> subjects, List<String> extraFlags) throws IOException {
        this.root = root;
        this.extraFlags = extraFlags;
        this.subjects = subjects;
        this.work = Files.createTempDirectory("kfood-bench");
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.runs = runs;
        this.warm = warm;
    }

    static int run(String[] args, Path root) throws Exception {
        int runs = 10;
        int warm = 20;
        Path out = null;
        List<String> only = null;
        List<String> extraFlags = List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warm" -> warm = Integer.parseInt(args[++i]);
                case "--write" -> out = root.resolve(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--jvm-flags" -> extraFlags = List.of(args[++i].trim().split("\\s+"));
                default ->
                    throw new IllegalArgumentException(
                            "usage: ops bench [--runs N] [--warm N] [--only LogicalId,...] [--jvm-flags \"-Xlog:...\"] [--write "
                                    + "docs/benchmarks.md]");
            }
        }
        List<String> selected = only;
        List<Subject> subjects = only == null
                ? SUBJECTS
                : SUBJECTS.stream().filter(s -> selected.contains(s.id())).toList();
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException(
                    "--only names none of " + SUBJECTS.stream().map(Subject::id).toList());
        }
        String table = new Bench(root, runs, warm, subjects, extraFlags).measure();
        System.out.println(table);
        if (out != null) {
            Files.writeString(out, table);
            System.err.println("bench: written to " + root.relativize(out));
        }
        return 0;
    }

    private String measure() throws Exception {
        int port = Emulator.freePort();
        try (Emulator emulator = Emulator.start(
                port, work, Map.of("MOTO_RDS_SNAPSHOT_LIMIT", "5000", "MOTO_ECS_SERVICE_RUNNING", "2"))) {
            // Java and Python alike; the prune judges the seeded backup history whether or not the
            // snapshot rows ran before it (they add theirs)
            Map<String, String> aws = DemoPlatform.seededForFunctions(emulator);
            Template template = Template.load(root.resolve("template.yaml"));
            SamConfig config = SamConfig.load(root.resolve("samconfig.toml"), "local");
            StringBuilder table = new StringBuilder(header());
            StringBuilder userRows = new StringBuilder();
            // as the function rows: no cooldown between runs, so every run does the same work
            Path envVars = work.resolve("bench-env-vars.json");
            Files.writeString(
                    envVars,
                    "{\"AlarmRemediationFunction\": {\"COOLDOWN_MINUTES\": \"0\", \"MAX_ACTIONS_PER_HOUR\": \"60\"}}");
            table.append(
                    "| Function | JVM | ready (init) median / p90 | first response median / p90 | warm invoke median | warm "
                            + "overhead beyond AWS calls | of the calls: SDK off the wire | peak RSS | classes | artifact | "
                            + "Python boto3 (same work) | Java first / Python |\n");
            table.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Subject s : subjects) {
                Map<String, String> env = new HashMap<>(Invoke.environment(template, config, s.id(), null, aws));
                env.remove(
                        "JAVA_TOOL_OPTIONS"); // every row states its JVM flags (the template's C1 setting is the second
                // row's)
                env.put("COOLDOWN_MINUTES", "0");
                env.put("MAX_ACTIONS_PER_HOUR", "60");
                String handler = s.handlerClass(template);
                Path jar = s.jar(root);
                String classpath = s.classpath(root);
                int memoryMb = Integer.parseInt(String.valueOf(template.functionProperty(s.id(), "MemorySize")));
                List<Config> configs = configs(s, classpath, handler, env, memoryMb);
                if (s.python() != null) {
                    // the peer's own first run, unmeasured, as the Java side's AOT training run above: both
                    // sides then meet the state of every later day (a backup to bring up to date, an open episode)
                    python(s, 999, env);
                }
                // Python and each JVM configuration take turns run by run, so drift of this machine's
                // speed during the benchmark falls on both sides of the ratio alike
                List<Measured> python = new ArrayList<>();
                List<Measured> ops = new ArrayList<>();
                Map<Config, List<JsonNode>> samples = new LinkedHashMap<>();
                Map<Config, List<Double>> ready = new HashMap<>();
                Map<Config, List<Double>> first = new HashMap<>();
                for (int i = 0; i < runs; i++) {
                    if (s.python() != null) {
                        python.add(python(s, i, env));
                    }
                    Path event = event(s, i);
                    // the user's command does the same work on its own event of this run
                    ops.add(opsInvoke(s, event(s, 1000 + i), envVars, aws));
                    for (Config c : configs) {
                        List<String> cmd = new ArrayList<>(List.of(java));
                        cmd.addAll(c.flags());
                        cmd.addAll(extraFlags);
                        cmd.addAll(List.of(
                                "-cp",
                                classpath,
                                BenchChild.class.getName(),
                                handler,
                                event.toString(),
                                root.resolve(s.warmEvent()).toString(),
                                String.valueOf(warm)));
                        long spawn = BenchChild.micros(Instant.now());
                        JsonNode sample = child(cmd, env);
                        samples.computeIfAbsent(c, k -> new ArrayList<>()).add(sample);
                        ready.computeIfAbsent(c, k -> new ArrayList<>())
                                .add((sample.path("readyEpochMicros").asLong() - spawn) / 1000.0);
                        first.computeIfAbsent(c, k -> new ArrayList<>())
                                .add((sample.path("firstResponseEpochMicros").asLong() - spawn) / 1000.0);
                    }
                }
                Double pythonMedian = python.isEmpty()
                        ? null
                        : median(python.stream().map(Measured::workMs).toList());
                for (Config c : configs) {
                    List<JsonNode> runsOf = samples.get(c);
                    double firstMedian = median(first.get(c));
                    if (c == configs.getFirst()) {
                        userRows.append(userRow(s, ops, python, runsOf.getFirst()));
                    }
                    table.append(String.format(
                            Locale.ROOT,
                            "| %s | %s | %.0f / %.0f ms | %.0f / %.0f ms | %.1f ms | %.2f ms | %.2f ms | %.0f MiB | %d | %.1f MB "
                                    + "| %s | %s |%n",
                            s.id(),
                            c.name(),
                            median(ready.get(c)),
                            p90(ready.get(c)),
                            firstMedian,
                            p90(first.get(c)),
                            median(runsOf.stream()
                                    .map(x -> x.path("warmMedianMs").asDouble())
                                    .toList()),
                            median(runsOf.stream()
                                    .map(x -> x.path("warmOverheadMedianMs").asDouble())
                                    .toList()),
                            median(runsOf.stream()
                                    .map(x -> x.path("warmSdkMedianMs").asDouble())
                                    .toList()),
                            median(runsOf.stream()
                                    .map(x -> x.path("peakRssKb").asDouble() / 1024)
                                    .toList()),
                            runsOf.getFirst().path("classesLoaded").asLong(),
                            Files.size(jar) / 1e6,
                            pythonMedian == null ? "n/a" : String.format(Locale.ROOT, "%.0f ms", pythonMedian),
                            pythonMedian == null
                                    ? "n/a"
                                    : String.format(Locale.ROOT, "%.2fx", firstMedian / pythonMedian)));
                }
            }
            table.append(USER_HEADER).append(userRows);
            table.append(cli(aws));
            return table.toString();
        }
    }

    private static final String USER_HEADER = """

            ## The user's command

            `./ops invoke <function> -e <event>` as a newcomer runs it, a whole process from spawn to exit (the
            launcher, the JVM with the AOT cache `./ops build` trained, the template resolved at build time, the
            handler, the JVM's exit; "before the handler" is the local runtime's own work from its `main` to the
            handler's construction, which the JVM reports when `KFOOD_OPS_TIMING` is set), next to the Python
            peer as a whole process too (interpreter start, boto3
            import, the calls, its exit). Peak RSS from `/usr/bin/time`. The calls are each side's first
            invocation as the SDKs report them (`service:Operation`, sorted; Java's from its SDK interceptors,
            Python's from botocore's `before-call` event), compared for every row: a peer that does other work
            than the function is marked. Each side runs once before it is measured (Java's AOT training, the
            peer's first run), so both meet the same state (a backup to bring up to date, an open episode); the
            peers keep their own (`uploads-py/`, `incidents-py/`, `py-` snapshots). Where the Java side runs calls at once, its peer runs them one after
            another (the peers are straightforward scripts, as the plan's were): SnapshotFunction copies the
            uploads (16 copies at once) and lists the DR region's copies beside its RDS calls;
            AlarmRemediationFunction reads the service's ERROR lines beside its action; PruneFunction describes the databases, reads the
            quota and lists the DR region's copies beside the snapshots; DatabaseCareFunction reads yesterday's
            size from CloudWatch while the database works; OpsReportFunction fetches its three GetMetricData
            windows at once and builds the sections that need no metric meanwhile (on this two-core machine the
            emulator, one Python process, answers parallel requests largely one after another, so this gains
            little here); HealthCheckFunction runs its three checks at once (its peer and DatabaseCareFunction's
            use psycopg2 and redis-py, Debian's `python3-psycopg2` and `python3-redis`). Everything else is one
            call after another on both sides. Two costs fall on the Java side only: `./ops invoke` forwards the
            function's EMF metrics to the emulator (PutMetricData, as CloudWatch Logs would from the log in
            AWS), and the emulator translates Java's CloudWatch calls from and to CBOR (the SDK's protocol for
            CloudWatch; moto speaks JSON, Python's protocol).

            | Function | `./ops invoke` median / p90 | of it, the local runtime before the handler | peak RSS | Python peer median / p90 | peak RSS | `./ops invoke` / Python | AWS calls (both sides) |
            |---|---|---|---|---|---|---|---|
            """;

    /** A row of the user's command table: {@code ./ops invoke} and the peer as whole processes. */
    private static String userRow(Subject s, List<Measured> ops, List<Measured> python, JsonNode javaSample) {
        List<String> javaCalls = new ArrayList<>();
        javaSample.path("firstCalls").forEach(c -> javaCalls.add(c.asText()));
        String calls = summary(javaCalls);
        String peer = "n/a";
        String ratio = "n/a";
        if (!python.isEmpty()) {
            List<Double> exits = python.stream().map(Measured::exitMs).toList();
            peer = String.format(
                    Locale.ROOT,
                    "%.0f / %.0f ms | %.0f MiB",
                    median(exits),
                    p90(exits),
                    median(python.stream().map(Measured::peakRssMb).toList()));
            ratio = String.format(
                    Locale.ROOT,
                    "%.2fx",
                    median(ops.stream().map(Measured::exitMs).toList()) / median(exits));
            String pythonCalls = summary(python.getFirst().calls());
            calls = pythonCalls.equals(calls)
                    ? calls + " (same)"
                    : "**differ**: Java " + calls + "; Python " + pythonCalls;
        } else {
            peer = peer + " | n/a";
        }
        List<Double> opsExits = ops.stream().map(Measured::exitMs).toList();
        return String.format(
                Locale.ROOT,
                "| %s | %.0f / %.0f ms | %.1f ms | %.0f MiB | %s | %s | %s |%n",
                s.id(),
                median(opsExits),
                p90(opsExits),
                median(ops.stream().map(Measured::beforeHandlerMs).toList()),
                median(ops.stream().map(Measured::peakRssMb).toList()),
                peer,
                ratio,
                calls);
    }

    /** Calls as "rds:DescribeDBSnapshots x2, sns:Publish", sorted, so that two sides compare as text. */
    private static String summary(List<String> calls) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        calls.forEach(c -> counts.merge(c, 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((call, n) -> parts.add(n == 1 ? call : call + " x" + n));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /**
     * Default flags, C1 + SerialGC, and the same with a JDK 25 AOT cache trained here by one run (same
     * classpath). Every JVM sees the function's MemorySize as its machine's memory, as on Lambda, so
     * heap sizing (and so peak RSS) follows the template rather than this host's RAM.
     */
    private List<Config> configs(Subject s, String classpath, String handler, Map<String, String> env, int memoryMb)
            throws IOException, InterruptedException {
        String memory = "-XX:MaxRAM=" + memoryMb + "m";
        List<String> tuned = List.of(memory, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
        List<Config> configs = new ArrayList<>(
                List.of(new Config("default flags", List.of(memory)), new Config("C1 + SerialGC", tuned)));
        if (Runtime.version().feature() >= 25) {
            Path aot = work.resolve(s.module() + ".aot");
            List<String> training = new ArrayList<>(List.of(java));
            training.addAll(tuned);
            training.addAll(List.of(
                    "-XX:AOTCacheOutput=" + aot,
                    "-cp",
                    classpath,
                    BenchChild.class.getName(),
                    handler,
                    event(s, 999).toString(),
                    root.resolve(s.warmEvent()).toString(),
                    "3"));
            child(training, env);
            List<String> flags = new ArrayList<>(tuned);
            flags.addAll(List.of("-XX:AOTCache=" + aot, "-Xlog:disable", "-Xlog:all=warning:stderr"));
            configs.add(new Config("C1 + SerialGC + AOT cache", flags));
        }
        return configs;
    }

    /** The first-invocation event of run {@code i}: the same work each time (a new snapshot, a new alarm transition...). */
    private Path event(Subject s, int i) throws IOException {
        String text = Files.readString(root.resolve(s.warmEvent()));
        text = switch (s.module()) {
            case "snapshot" ->
                text.replace("2026-11-25T18:00:00Z", LocalDate.of(2025, 1, 1).plusDays(i) + "T18:00:00Z");
            case "alarm-remediation" ->
                text.replace("2026-11-26T03:12:41.087+0000", String.format("2026-11-26T03:%02d:41.087+0000", i % 60))
                        .replace("03:12:41", String.format("03:%02d:41", i % 60));
            case "deploy-notifier" ->
                text.replace(
                        "ecs-svc/6549472914785923901",
                        "ecs-svc/" + (1_000_000L + i * 7919L + System.nanoTime() % 1000));
            default -> text;
        };
        Path file = work.resolve(s.module() + "-" + i + "-" + System.nanoTime() + ".json");
        Files.writeString(file, text);
        return file;
    }

    private JsonNode child(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        work.resolve("children.log").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || out.isBlank()) {
            throw new IOException(
                    "benchmark child failed (" + cmd.get(cmd.size() - 4) + "); see " + work.resolve("children.log"));
        }
        // the JVM itself may print (the AOT training does): the measurements are the JSON line
        return Mapper.get()
                .readTree(out.lines()
                        .filter(l -> l.startsWith("{\"readyEpochMicros\""))
                        .reduce((a, b) -> b)
                        .orElseThrow(() -> new IOException(
                                "benchmark child printed no measurements; see " + work.resolve("children.log"))));
    }

    /** One whole process: spawn to the end of its work (if it says), spawn to exit, peak RSS, the AWS calls it made. */
    record Measured(double workMs, double exitMs, double peakRssMb, List<String> calls, double beforeHandlerMs) {}

    /** One run of the Python peer, under /usr/bin/time for its peak RSS. */
    private Measured python(Subject s, int run, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = List.of(
                "python3", root.resolve("bench/peers/" + s.python() + ".py").toString(), String.valueOf(run));
        return measured(cmd, env, work.resolve("python.log"), "the Python equivalent of " + s.id());
    }

    /** One run of the user's command, {@code ./ops invoke}, as a whole process (the launcher included). */
    private Measured opsInvoke(Subject s, Path event, Path envVars, Map<String, String> aws)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(
                "bash",
                root.resolve("ops").toString(),
                "invoke",
                s.id(),
                "-e",
                event.toString(),
                "--env-vars",
                envVars.toString());
        Map<String, String> env = new HashMap<>(aws);
        env.put("KFOOD_OPS_TIMING", "1");
        for (String keep : List.of("PATH", "HOME", "JAVA_HOME")) {
            if (System.getenv(keep) != null) {
                env.put(keep, System.getenv(keep));
            }
        }
        return measured(cmd, env, work.resolve("ops-invoke.log"), "./ops invoke " + s.id());
    }

    private Measured measured(List<String> command, Map<String, String> env, Path log, String what)
            throws IOException, InterruptedException {
        Path rss = Files.createTempFile(work, "rss", ".txt");
        List<String> cmd = new ArrayList<>();
        boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
        if (timed) {
            cmd.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString()));
        }
        cmd.addAll(command);
        Path stderr = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        pb.environment().putAll(env);
        long spawn = BenchChild.micros(Instant.now());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        int exit = p.waitFor();
        long exited = BenchChild.micros(Instant.now());
        String errors = Files.readString(stderr);
        Files.writeString(log, errors, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        double beforeHandlerMs = errors.lines()
                .filter(l -> l.startsWith("ops-timing: before-handler-ms="))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf('=') + 1)))
                .findFirst()
                .orElse(Double.NaN);
        if (exit != 0) {
            throw new IOException(what + " failed (exit " + exit + "); see " + log);
        }
        List<String> lines = out.lines().toList();
        double workMs = !lines.isEmpty() && lines.getFirst().matches("\\d+")
                ? (Long.parseLong(lines.getFirst()) - spawn) / 1000.0
                : Double.NaN;
        List<String> calls = new ArrayList<>();
        if (lines.size() > 1 && lines.get(1).startsWith("[")) {
            Mapper.get().readTree(lines.get(1)).forEach(c -> calls.add(c.asText()));
        }
        double rssMb =
                timed ? Long.parseLong(Files.readString(rss).strip().replaceAll("\\D", "")) / 1024.0 : Double.NaN;
        return new Measured(workMs, (exited - spawn) / 1000.0, rssMb, calls, beforeHandlerMs);
    }

    /** The old backup.sh: create-db-snapshot and s3 sync, then the prune's describe-db-snapshots. */
    private String cli(Map<String, String> aws) throws IOException, InterruptedException {
        List<Double> backup = new ArrayList<>();
        List<Double> prune = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            aws(
                    aws,
                    "rds",
                    "create-db-snapshot",
                    "--db-instance-identifier",
                    DemoPlatform.DB,
                    "--db-snapshot-identifier",
                    "backup-sh-" + i + "-" + System.nanoTime() % 100000);
            aws(
                    aws,
                    "s3",
                    "sync",
                    "s3://" + DemoPlatform.UPLOADS_BUCKET,
                    "s3://" + DemoPlatform.BACKUP_BUCKET + "/uploads/backup-sh-" + i + "/");
            backup.add((System.nanoTime() - start) / 1e6);
            start = System.nanoTime();
            aws(
                    aws,
                    "rds",
                    "describe-db-snapshots",
                    "--snapshot-type",
                    "manual",
                    "--query",
                    "DBSnapshots[?SnapshotCreateTime<'2026-01-01'].DBSnapshotIdentifier",
                    "--output",
                    "text");
            prune.add((System.nanoTime() - start) / 1e6);
        }
        return String.format(
                Locale.ROOT,
                "%nThe old backup.sh with the AWS CLI against the same emulator (median of %d): "
                        + "create-db-snapshot + s3 sync %.0f ms; the prune's describe-db-snapshots %.0f ms (it then deletes one "
                        + "command per snapshot).%n",
                runs,
                median(backup),
                median(prune));
    }

    private void aws(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of("aws", "--endpoint-url", env.get("AWS_ENDPOINT_URL"), "--region", DemoPlatform.REGION));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(work.resolve("cli.log").toFile()));
        pb.environment().putAll(env);
        if (pb.start().waitFor() != 0) {
            throw new IOException("aws " + String.join(" ", args) + " failed; see " + work.resolve("cli.log"));
        }
    }

    private String header() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse(cpu);
        } catch (IOException e) {
            // keep the default
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", Instant.now().toString().substring(0, 10));
        facts.put(
                "machine",
                Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
                        + Math.round(OperatingSystemMXBean.class
                                        .cast(ManagementFactory.getOperatingSystemMXBean())
                                        .getTotalMemorySize()
                                / 1e9)
                        + " GB");
        facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        facts.put("emulator", "moto server on 127.0.0.1; PostgreSQL and Redis on 127.0.0.1");
        facts.put(
                "prune's input",
                DemoPlatform.HISTORY_DAYS
                        + " daily snapshots of backup history seeded first (1 to 45 days old, plus one not made by kfood-ops), "
                        + "measured before the snapshot rows add theirs");
        if (!extraFlags.isEmpty()) {
            facts.put("extra JVM flags (every row)", String.join(" ", extraFlags));
        }
        facts.put(
                "method",
                runs + " fresh processes per row (medians and p90 from process spawn), " + warm
                        + " warm invocations per process; every JVM sees the function's MemorySize (-XX:MaxRAM) as Lambda's does; "
                        + "AWS_MAX_ATTEMPTS=1 for Java and Python alike");
        StringBuilder out = new StringBuilder(
                "# Benchmarks\n\nGenerated by `./ops bench --write docs/benchmarks.md`; never part of the tests.\n\n");
        facts.forEach(
                (k, v) -> out.append("- ").append(k).append(": ").append(v).append('\n'));
        return out.append('\n').toString();
    }

    private static double median(List<Double> values) {
        return BenchChild.median(
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double p90(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.9) - 1)];
    }
}
