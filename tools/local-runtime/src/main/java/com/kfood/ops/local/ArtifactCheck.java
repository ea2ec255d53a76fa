package com.kfood.ops.local;

import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Emulator;
import com.kfood.ops.emulator.Template;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ./ops artifact-check}: the deployable jars are shrunk by ProGuard while the Maven tests run
 * on the unshrunk classes. So each jar, alone on the class path as on Lambda (plus the runner's own
 * classes, no libraries), answers every sample event of its function on a private emulator; a class
 * or member the shrinker dropped shows as a linkage error and fails the check. Business outcomes
 * are the tests' job, not this one's.
 */
final class ArtifactCheck {
    private static final Pattern LINKAGE = Pattern.compile(
            "NoClassDefFoundError|ClassNotFoundException|NoSuchMethodError"
                    + "|NoSuchFieldError|VerifyError|AbstractMethodError|IncompatibleClassChangeError|ExceptionInInitializerError");

    private ArtifactCheck() {}

    static int run(Path root) throws Exception {
        Path work = Files.createTempDirectory("kfood-artifact-check");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (Emulator emulator = Emulator.start(Emulator.freePort(), work, Map.of("MOTO_ECS_SERVICE_RUNNING", "2"))) {
            Map<String, String> aws = DemoPlatform.seededForFunctions(emulator);
            // the multipart copy's path too: one upload above the local threshold
            new DemoPlatform(new AwsClients(Env.of(aws))).seedLongUpload();
            Template template = Template.load(root.resolve("template.yaml"));
            SamConfig config = SamConfig.load(root.resolve("samconfig.toml"), "local");
            for (Bench.Subject s : Bench.SUBJECTS) {
                Map<String, String> env = Invoke.environment(template, config, s.id(), null, aws);
                String handler = s.handlerClass(template);
                String classpath = s.classpath(root);
                for (Path event : s.events(root)) {
                    checked++;
                    String problem =
                            problem(Child.run(java, classpath, handler, event, env, work.resolve("child.log")));
                    if (problem != null) {
                        failures.add(root.relativize(s.jar(root)) + " on " + root.relativize(event) + ": " + problem);
                    }
                }
            }
        }
        failures.forEach(f -> System.err.println("ops: artifact check: " + f));
        System.err.println("ops: artifact check: " + checked + " sample events through " + Bench.SUBJECTS.size()
                + " deployable jars, " + failures.size() + " failure(s)");
        return failures.isEmpty() ? 0 : 1;
    }

    /** Null when the child ran the event to a response (or to a handled rejection); else what went wrong. */
    private static String problem(Child run) {
        String err = run.stderr();
        return LINKAGE.matcher(err + run.stdout()).find()
                ? err.lines()
                        .filter(l -> LINKAGE.matcher(l).find())
                        .findFirst()
                        .orElse("linkage error")
                        .strip()
                : run.exit() != 0
                        ? "exit " + run.exit() + ": "
                                + err.lines().reduce((a, b) -> b).orElse("").strip()
                        : null;
    }

    /** One sample event through a function's deployable jar in a JVM of its own, with only {@code env}. */
    record Child(int exit, String stdout, String stderr) {
        static Child run(String java, String classpath, String handler, Path event, Map<String, String> env, Path log)
                throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(List.of(
                            java,
                            "-XX:TieredStopAtLevel=1",
                            "-cp",
                            classpath,
                            BenchChild.class.getName(),
                            handler,
                            event.toString(),
                            event.toString(),
                            "0"))
                    .redirectError(log.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            int rc = p.waitFor();
            return new Child(rc, out, Files.readString(log));
        }
    }
}
