package com.kfood.ops.local;

import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Emulator;
import com.kfood.ops.emulator.EmulatorFacts;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.emulator.Template;
import com.kfood.ops.shared.AwsClients;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * {@code ./ops iam-check} (part of {@code ./ops test}): least privilege must also be enough. Each
 * function's role, as the transformed template defines it (parameters and conditions resolved as
 * {@code ./ops invoke} resolves them), becomes the only policy of an IAM user in a private emulator
 * that enforces IAM; every sample event of the function then runs in its deployable jar with that
 * user's keys, and any denial fails the check. A control run then takes one permission away and
 * requires the denial to show, so the check is known to be able to fail.
 *
 * <p>The emulator authorises actions and resources (moto_wrapper.py names each call's resources as
 * AWS does) but not conditions; the template checks assert those (docs/security.md).
 */
final class LeastPrivilegeCheck {
    /** What the emulator wrapper logs for each request it denies (functions may handle a denial quietly). */
    private static final Pattern DENIED = Pattern.compile("kfood-ops-denied (\\S+) (\\S+?)(?=kfood-ops-denied|\\s|$)");
    /** The control: a permission every run of the prune needs (it lists the snapshots first), taken away. */
    private static final String CONTROL_FUNCTION = "PruneFunction";

    private static final String CONTROL_ACTION = "rds:DescribeDBSnapshots";

    private LeastPrivilegeCheck() {}

    /** A function's run under its role: the events it ran and each denial seen. */
    record Outcome(String function, int events, List<String> denials) {}

    /** What to check: the repository's template and bootstrap, or copies given on the command line. */
    record Sources(Path template, Path bootstrap) {
        static Sources of(Path root, String[] args) {
            Path template = root.resolve("template.yaml");
            Path bootstrap = root.resolve("bootstrap/pipeline.yaml");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--template" -> template = Path.of(value(args, ++i, "--template FILE"));
                    case "--bootstrap" -> bootstrap = Path.of(value(args, ++i, "--bootstrap FILE"));
                    default ->
                        throw new IllegalArgumentException("usage: iam-check [--template FILE] [--bootstrap FILE]");
                }
            }
            return new Sources(template.toAbsolutePath(), bootstrap.toAbsolutePath());
        }

        private static String value(String[] args, int i, String usage) {
            if (i >= args.length) {
                throw new IllegalArgumentException("usage: iam-check " + usage);
            }
            return args[i];
        }
    }

    static int run(Path root, String[] args) throws Exception {
        Sources sources = Sources.of(root, args);
        Path work = Files.createTempDirectory("kfood-iam-check");
        Template sam = Template.load(sources.template());
        SamConfig config = SamConfig.load(root.resolve("samconfig.toml"), "local");
        Template cfn = transformed(root, sources.template(), work);
        Resolver resolver = new Resolver(
                cfn, config.parameterOverrides(), config.stackName(), config.region(), DemoPlatform.ACCOUNT);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Outcome> outcomes = new ArrayList<>();
        List<IamEvaluation.Run> runs = new ArrayList<>();
        Outcome control;
        Path tagsLog = work.resolve("tags.jsonl");
        EmulatorFacts facts;
        Map<String, String> emulatorEnv = Map.of(
                "MOTO_ECS_SERVICE_RUNNING",
                "2",
                "KFOOD_IAM_TAGS_LOG",
                tagsLog.toString(),
                "KFOOD_IAM_TAGS_REGIONS",
                config.region() + "," + config.parameterOverrides().getOrDefault("DrRegion", ""));
        try (Emulator emulator = Emulator.start(Emulator.freePort(), work, emulatorEnv)) {
            Map<String, String> aws = DemoPlatform.seededForFunctions(emulator);
            AwsClients admin = new AwsClients(Env.of(aws));
            // the multipart copy's path too: one upload above the local threshold
            new DemoPlatform(admin).seedLongUpload();
            facts = EmulatorFacts.read(admin, config.parameterOverrides().get("DbInstanceIds"));
            IamClient iam = admin.build(IamClient.builder(), "IAM");
            Map<String, Map<String, String>> keys = new HashMap<>();
            for (Bench.Subject s : Bench.SUBJECTS) {
                keys.put(s.id(), user(iam, s.id(), policies(cfn, resolver, s.id(), UnaryOperator.identity()), aws));
            }
            Map<String, String> controlKeys = user(
                    iam,
                    CONTROL_FUNCTION + "-control",
                    policies(
                            cfn,
                            resolver,
                            CONTROL_FUNCTION,
                            doc -> doc.replace("\"" + CONTROL_ACTION + "\"", "\"rds:DescribeDBClusterSnapshots\"")),
                    aws);
            enforce(emulator.endpoint());
            for (Bench.Subject s : Bench.SUBJECTS) {
                outcomes.add(runAs(root, sam, config, s, keys.get(s.id()), java, work, runs));
            }
            Bench.Subject prune = Bench.SUBJECTS.stream()
                    .filter(s -> s.id().equals(CONTROL_FUNCTION))
                    .findFirst()
                    .orElseThrow();
            control = runAs(root, sam, config, prune, controlKeys, java, work, null);
        }
        boolean emulatorPassed = emulatorVerdict(outcomes, control);
        IamJudge judge = new IamJudge(root, work, runs, tagsLog, facts, config);
        int denied = judge.report(judge.resolutions(cfn, sources.bootstrap()));
        boolean controlsRefused = judge.controls(sources, cfn);
        boolean passed = emulatorPassed && denied == 0 && controlsRefused;
        if (passed) {
            deleteTree(work); // kept when the check fails: the captures and the emulator's log say why
        } else {
            System.err.println("ops: iam-check: the requests, tags and emulator log are in " + work);
        }
        return passed ? 0 : 1;
    }

    /** The emulator's layer: no function denied, and its control denied. */
    private static boolean emulatorVerdict(List<Outcome> outcomes, Outcome control) {
        int failures = 0;
        for (Outcome o : outcomes) {
            System.err.println("ops: iam-check: emulator: " + o.function() + ": " + o.events()
                    + " sample events under its own role, "
                    + (o.denials().isEmpty()
                            ? "no denial"
                            : o.denials().size() + " denial(s): " + String.join("; ", o.denials())));
            failures += o.denials().isEmpty() ? 0 : 1;
        }
        boolean controlDenied = !control.denials().isEmpty();
        System.err.println("ops: iam-check: emulator control, " + CONTROL_FUNCTION + " without " + CONTROL_ACTION + ": "
                + (controlDenied
                        ? "denied as expected (" + String.join("; ", control.denials()) + ")"
                        : "NOT denied: the check cannot fail"));
        return failures == 0 && controlDenied;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** SAM's transform of a template (tools/checks/template-check.py writes it), as CloudFormation would deploy it. */
    static Template transformed(Path root, Path template, Path work) throws IOException, InterruptedException {
        Path file = Files.createTempFile(work, "transformed", ".json");
        Process p = new ProcessBuilder(
                        "python3",
                        root.resolve("tools/checks/template-check.py").toString(),
                        template.toString(),
                        "--transformed-out",
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("template-check.log").toFile())
                .start();
        p.waitFor();
        if (Files.size(file) == 0) {
            throw new IOException("SAM could not transform " + template + ": "
                    + Files.readString(work.resolve("template-check.log")));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = Mapper.get().readValue(file.toFile(), Map.class);
        return new Template(map);
    }

    /** The function role's inline policies as JSON documents, resolved; {@code edit} may change each. */
    @SuppressWarnings("unchecked")
    static List<String> policies(Template cfn, Resolver resolver, String function, UnaryOperator<String> edit) {
        Map<String, Object> props = (Map<String, Object>)
                cfn.resource(IamEvaluation.roleOf(cfn, function)).orElseThrow().get("Properties");
        List<String> docs = new ArrayList<>();
        for (Object policy : (List<Object>) props.getOrDefault("Policies", List.of())) {
            Map<String, Object> doc = new LinkedHashMap<>((Map<String, Object>)
                    resolver.resolveTree(((Map<String, Object>) policy).get("PolicyDocument"), function + " policy"));
            // SAM writes its own policies (the on-failure destination's) without a version; IAM reads
            // that as 2008-10-17, which means the same for statements without policy variables
            doc.putIfAbsent("Version", "2012-10-17");
            docs.add(edit.apply(Json.write(doc)));
        }
        return docs;
    }

    /** An IAM user with exactly these inline policies; returns the AWS variables that sign as it. */
    private static Map<String, String> user(
            IamClient iam, String name, List<String> policies, Map<String, String> aws) {
        iam.createUser(b -> b.userName(name));
        for (int i = 0; i < policies.size(); i++) {
            int n = i;
            iam.putUserPolicy(
                    b -> b.userName(name).policyName("role-policy-" + n).policyDocument(policies.get(n)));
        }
        AccessKey key = iam.createAccessKey(b -> b.userName(name)).accessKey();
        Map<String, String> env = new HashMap<>(aws);
        env.put("AWS_ACCESS_KEY_ID", key.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", key.secretAccessKey());
        return env;
    }

    /** From now on every request is authorised against its caller's IAM policies. */
    private static void enforce(URI endpoint) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(endpoint + "/moto-api/reset-auth"))
                                .POST(HttpRequest.BodyPublishers.ofString("0"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(
                    "the emulator did not turn IAM enforcement on: HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** The function's sample events in its deployable jar as {@code aws}; each request recorded in {@code runs} unless null. */
    private static Outcome runAs(
            Path root,
            Template sam,
            SamConfig config,
            Bench.Subject s,
            Map<String, String> aws,
            String java,
            Path work,
            List<IamEvaluation.Run> runs)
            throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(Invoke.environment(sam, config, s.id(), null, aws));
        List<Path> events = s.events(root);
        List<String> denials = new ArrayList<>();
        Path emulatorLog = work.resolve("moto.log");
        for (Path event : events) {
            long before = Files.size(emulatorLog);
            env.remove("KFOOD_IAM_CAPTURE");
            if (runs != null) {
                Path capture = work.resolve("capture-" + s.id() + "-" + runs.size() + ".jsonl");
                env.put("KFOOD_IAM_CAPTURE", capture.toString());
                runs.add(new IamEvaluation.Run(s.id(), root.relativize(event).toString(), capture));
            }
            ArtifactCheck.Child.run(
                    java, s.classpath(root), s.handlerClass(sam), event, env, work.resolve("child.log"));
            String logged;
            try (var in = Files.newInputStream(emulatorLog)) {
                in.skipNBytes(before);
                logged = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher m = DENIED.matcher(logged);
            while (m.find()) {
                String denial = root.relativize(event) + ": " + m.group(1) + " on " + m.group(2);
                if (!denials.contains(denial)) {
                    denials.add(denial);
                }
            }
        }
        return new Outcome(s.id(), events.size(), denials);
    }
}
