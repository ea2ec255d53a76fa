package com.kfood.ops.local;

import com.kfood.ops.emulator.DemoDatabase;
import com.kfood.ops.emulator.DemoEvents;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.DemoTraffic;
import com.kfood.ops.emulator.Emulator;
import com.kfood.ops.emulator.Inbox;
import com.kfood.ops.emulator.ReportHistory;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Entry point of the {@code ./ops} launcher's Java side. */
public final class Main {
    private Main() {}

    /** When this JVM's main began: the local runtime's own work is measured from here. */
    static final long STARTED = System.nanoTime();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            System.err.println(
                    "ops: usage: invoke | train | emulator-start PORT [DIR] | seed | notifications | instances | scaling | report-files | alarm-event | deployment-event | report | bench | artifact-check | iam-check");
            return Invoke.USAGE;
        }
        Path root = Path.of(System.getProperty("kfood.ops.root", "."))
                .toAbsolutePath()
                .normalize();
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "invoke" -> Invoke.run(rest, root, System.getenv());
                case "train" -> Invoke.train(rest, root, System.getenv());
                case "emulator-start" -> startEmulator(rest, root);
                case "seed" -> {
                    new DemoPlatform(new AwsClients(Env.system())).seed();
                    yield 0;
                }
                case "resolve" -> {
                    // ./ops build: the resolution every ./ops invoke reads while the files are unchanged
                    ResolvedStack.load(
                            root,
                            rest.length > 0 ? rest[0] : "local",
                            System.getenv().getOrDefault("KFOOD_OPS_ACCOUNT_ID", "123456789012"));
                    yield 0;
                }
                case "notifications" -> printNotifications();
                case "instances" -> printInstances();
                case "alarm-event" -> {
                    // alarm-event NAME STATE REASON: what CloudWatch would publish to SNS
                    needs(rest, "alarm-event ALARM_NAME OK|ALARM|INSUFFICIENT_DATA REASON");
                    System.out.println(DemoEvents.alarm(new AwsClients(Env.system()), rest[0], rest[1], rest[2]));
                    yield 0;
                }
                case "deployment-event" -> {
                    // deployment-event CLUSTER SERVICE STATE: what ECS would send to EventBridge
                    needs(rest, "deployment-event CLUSTER SERVICE IN_PROGRESS|COMPLETED|FAILED");
                    System.out.println(DemoEvents.deployment(new AwsClients(Env.system()), rest[0], rest[1], rest[2]));
                    yield 0;
                }
                case "deployment-window" -> {
                    // deployment-window SERVICE clean|outage MINUTES_AGO MINUTES: a deployment and its traffic
                    needs(rest, "deployment-window SERVICE clean|outage MINUTES_AGO MINUTES");
                    System.out.println(new DemoTraffic(new AwsClients(Env.system()))
                            .deployment(
                                    rest[0],
                                    rest[1].equals("outage"),
                                    Duration.ofMinutes(Integer.parseInt(rest[2])),
                                    Integer.parseInt(rest[3]),
                                    ago -> Emulator.setClockOffset(root.resolve(".ops"), ago.negated())));
                    yield 0;
                }
                case "scaling" -> printScaling();
                case "report-files" -> {
                    // report-files DIR: each kind's newest report page, copied out of the emulator's reports bucket
                    needs(rest, "report-files DIR");
                    yield reportFiles(Path.of(rest[0]));
                }
                case "restored-at" -> {
                    // restored-at SOURCE_DB TARGET_DB TIME: the data a point-in-time restore to TIME holds (RDS's part)
                    needs(rest, "restored-at SOURCE_DATABASE TARGET_DATABASE ISO_INSTANT");
                    DemoDatabase.restoredAt(rest[0], rest[1], Instant.parse(rest[2]));
                    yield 0;
                }
                case "change-uploads" -> {
                    // the demo's second day: uploads changed, removed and added since the first backup
                    new DemoPlatform(new AwsClients(Env.system())).changeUploads();
                    yield 0;
                }
                case "report" -> Report.print(System.in, System.out);
                case "bench" -> Bench.run(rest, root);
                case "bench-uploads" -> UploadsBench.run(rest, root);
                case "bench-uploads-scale" -> UploadsScaleBench.run(rest, root);
                case "artifact-check" -> ArtifactCheck.run(root);
                case "iam-check" -> LeastPrivilegeCheck.run(root, rest);
                default -> {
                    System.err.println("ops: unknown command '" + args[0] + "'");
                    yield Invoke.USAGE;
                }
            };
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.err.println("ops: " + args[0] + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static void needs(String[] args, String usage) {
        if (args.length != usage.split(" ").length - 1) {
            throw new IllegalArgumentException("usage: " + usage);
        }
    }

    private static int startEmulator(String[] args, Path root) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 4566;
        Path work = args.length > 1 ? Path.of(args[1]) : root.resolve(".ops");
        if (Emulator.isUp(port)) {
            System.err.println("ops: emulator already running on 127.0.0.1:" + port);
        } else {
            // a real account's limit, so the demo meets the quota warning where AWS would
            Emulator emulator = Emulator.start(
                    port, work, Map.of("MOTO_RDS_SNAPSHOT_LIMIT", "100", "MOTO_ECS_SERVICE_RUNNING", "2"));
            Files.writeString(work.resolve("emulator.pid"), String.valueOf(emulator.pid()));
            System.err.println("ops: emulator started on 127.0.0.1:" + port + " (pid " + emulator.pid() + ")");
            DemoPlatform
                    .seedDatabase(); // a new emulator, a new demo database: the demo tells the same story every time
        }
        DemoPlatform platform =
                new DemoPlatform(new AwsClients(DemoPlatform.emulatorEnv(URI.create("http://127.0.0.1:" + port))));
        // the platform's database has existed longer than its 30 days of automated backups reach
        Emulator.setClockOffset(work, Duration.ofDays(-40));
        platform.seed();
        Emulator.setClockOffset(work, Duration.ZERO);
        platform.seedLongUpload();
        int history = platform.seedBackupHistory(ago -> Emulator.setClockOffset(work, ago.negated()));
        if (history > 0) {
            System.err.println("ops: " + history + " daily snapshots of backup history created (1 to 45 days old)");
        }
        ReportHistory reportHistory = new ReportHistory(
                new AwsClients(DemoPlatform.emulatorEnv(URI.create("http://127.0.0.1:" + port))), Instant.now());
        if (!reportHistory.seeded()) {
            int points = reportHistory.seed();
            System.err.println("ops: " + points + " datapoints of the platform's metrics since the month before last,"
                    + " ERROR lines, cost and findings seeded for the operations report");
        }
        System.err.println("ops: demo platform seeded in " + DemoPlatform.REGION);
        return 0;
    }

    /** The newest page of each report kind in the reports bucket, written under {@code dir}; prints each path. */
    private static int reportFiles(Path dir) throws IOException {
        S3Client s3 = new AwsClients(Env.system()).build(S3Client.builder().forcePathStyle(true), "S3");
        Map<String, String> newest = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(
                        b -> b.bucket(DemoPlatform.REPORTS_BUCKET).prefix("reports/"))
                .contents()) {
            if (o.key().endsWith(".html")) {
                newest.merge(o.key().split("/")[1], o.key(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        Files.createDirectories(dir);
        for (String key : newest.values()) {
            Path file = dir.resolve(key.substring("reports/".length()).replace('/', '-'));
            Files.write(
                    file,
                    s3.getObjectAsBytes(
                                    b -> b.bucket(DemoPlatform.REPORTS_BUCKET).key(key))
                            .asByteArray());
            System.out.println("    " + file);
        }
        if (newest.isEmpty()) {
            System.out.println("    (no report stored)");
        }
        return 0;
    }

    /** Chatbot markdown as plain text for the terminal: no emphasis marks, no escapes. */
    static String plain(String markdown) {
        return markdown.replaceAll("<(https?://[^|>]+)\\|([^>]+)>", "$2: $1")
                .replace("*", "")
                .replaceAll("\\\\(.)", "$1")
                .replace("&lt;", "<")
                .replace("&amp;", "&")
                .replace("\u200b", "");
    }

    /** The emulator's DB instances: after a drill, only the platform's own should be left. */
    private static int printInstances() {
        AwsClients aws = new AwsClients(Env.system());
        // the home region's, and the DR region's, where the DR-region drill restores
        for (Region region : List.of(aws.region(), Region.of(DemoPlatform.DR_REGION))) {
            System.out.println("    " + region + ":");
            RdsClient rds = aws.build(RdsClient.builder(), "RDS", region);
            for (DBInstance i : rds.describeDBInstances().dbInstances()) {
                System.out.println("      " + i.dbInstanceIdentifier() + " (" + i.dbInstanceStatus() + ", "
                        + i.tagList().stream()
                                .map(t -> t.key() + "=" + t.value())
                                .toList() + ")");
            }
        }
        return 0;
    }

    /** The services' autoscaling bounds, and any minimum a remediation holds raised. */
    private static int printScaling() {
        var autoScaling =
                new AwsClients(Env.system()).build(ApplicationAutoScalingClient.builder(), "APPLICATION_AUTO_SCALING");
        for (var t : autoScaling
                .describeScalableTargets(b -> b.serviceNamespace(ServiceNamespace.ECS))
                .scalableTargets()) {
            var holds = autoScaling
                    .describeScheduledActions(
                            b -> b.serviceNamespace(ServiceNamespace.ECS).resourceId(t.resourceId()))
                    .scheduledActions();
            System.out.println("    " + t.resourceId() + ": minimum " + t.minCapacity() + ", maximum "
                    + t.maxCapacity()
                    + (holds.isEmpty()
                            ? ""
                            : ", scheduled: "
                                    + holds.stream()
                                            .map(a -> a.scheduledActionName() + " " + a.schedule() + " min "
                                                    + a.scalableTargetAction().minCapacity())
                                            .toList()));
        }
        return 0;
    }

    private static int printNotifications() {
        Inbox inbox = new Inbox(new AwsClients(Env.system()));
        int count = 0;
        for (String topic : List.of(DemoPlatform.NOTIFICATIONS_TOPIC, DemoPlatform.ALARMS_TOPIC)) {
            for (Inbox.Published p : inbox.drain(topic)) {
                count++;
                System.out.println("== " + topic + " | " + p.subject());
                System.out.print(plain(p.description()).strip().indent(4));
                // Chatbot shows a notification's next steps under it (the report's "needs a person")
                if (p.message() != null
                        && !p.message().path("content").path("nextSteps").isEmpty()) {
                    System.out.println("    Next steps:");
                    p.message()
                            .path("content")
                            .path("nextSteps")
                            .forEach(step -> System.out.println("      - " + plain(step.asText())));
                }
                System.out.println();
            }
        }
        System.out.println(count == 0 ? "(no new notifications)" : "(" + count + " notification(s))");
        return 0;
    }
}
