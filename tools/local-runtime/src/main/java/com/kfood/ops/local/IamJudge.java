package com.kfood.ops.local;

import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.EmulatorFacts;
import com.kfood.ops.emulator.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./ops iam-check}'s second layer: the requests the functions made, judged by AWS's IAM logic
 * (tools/iam-eval) under the template as {@code ./ops invoke} resolves it and as staging resolves it,
 * with the bootstrap's permissions boundary; then twice more under broken copies (a tag-key list one
 * key short, a boundary without rds:CreateDBSnapshot), which must be refused, so the check is known
 * to be able to fail.
 */
final class IamJudge {
    /** Parameters that name the demo platform's resources: kept as local, so the same requests apply. */
    private static final Set<String> NAMES =
            Set.of("Environment", "DbInstanceIds", "BackupBucketName", "UploadsBucketName");

    /** The snapshot's own tag-key list (its CreateDBSnapshot statement) less its last key: the control's break. */
    private static final String NARROWED_STATEMENT = "Sid: CreateOwnSnapshotsWithOurTagsOnly";

    /** What both broken copies must have refused. */
    private static final String BROKEN_ACTION = "rds:CreateDBSnapshot";

    private static final Pattern TAG_KEY_LIST = Pattern.compile("(\\[ManagedBy[^\\]]*?),\\s*(\"[^\"]+\"|[\\w:-]+)]");

    private final Path root;
    private final Path work;
    private final List<IamEvaluation.Run> runs;
    private final Path tagsLog;
    private final EmulatorFacts facts;
    private final SamConfig config;
    private final Instant now = Instant.now();

    IamJudge(Path root, Path work, List<IamEvaluation.Run> runs, Path tagsLog, EmulatorFacts facts, SamConfig config) {
        this.root = root;
        this.work = work;
        this.runs = runs;
        this.tagsLog = tagsLog;
        this.facts = facts;
        this.config = config;
    }

    /** The template resolved as ./ops invoke resolves it, and as staging does (its settings, the demo's names). */
    List<IamEvaluation.Resolution> resolutions(Template cfn, Path bootstrap) throws IOException {
        Map<String, String> local = config.parameterOverrides();
        Map<String, String> staging = new HashMap<>(local);
        SamConfig.load(root.resolve("samconfig.toml"), "staging")
                .parameterOverrides()
                .forEach((k, v) -> {
                    if (!NAMES.contains(k)) {
                        staging.put(k, v);
                    }
                });
        Resolver localResolver = resolver(cfn, local);
        // staging keeps the local names (NAMES), so one boundary serves both
        Map<String, Object> boundary = boundary(bootstrap, localResolver);
        return List.of(
                new IamEvaluation.Resolution("local", cfn, localResolver, config.stackName(), boundary),
                new IamEvaluation.Resolution("staging", cfn, resolver(cfn, staging), config.stackName(), boundary));
    }

    private Resolver resolver(Template cfn, Map<String, String> parameters) {
        return new Resolver(cfn, parameters, config.stackName(), config.region(), DemoPlatform.ACCOUNT);
    }

    /** The bootstrap parameters that name the stack's resources, as the stack's own resolve. */
    private static final List<String> SHARED_NAMES = List.of("Environment", "SnapshotPrefix", "EcsClusterName");

    /**
     * The bootstrap's permissions boundary for this stack's environment: resolved with the stack's
     * environment, name, snapshot prefix and cluster (the bootstrap's defaults otherwise).
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> boundary(Path bootstrap, Resolver stack) throws IOException {
        Template t = Template.load(bootstrap);
        Map<String, Object> resource = t.resource("PermissionsBoundary")
                .orElseThrow(() -> new IOException(bootstrap + " has no PermissionsBoundary resource"));
        Map<String, String> parameters = new HashMap<>(Map.of("StackName", config.stackName()));
        for (String name : SHARED_NAMES) {
            if (t.section("Parameters").containsKey(name)) {
                parameters.put(name, stack.resolve(Map.of("Ref", name), "the stack's " + name));
            }
        }
        Resolver r = new Resolver(t, parameters, "kfood-ops-bootstrap", config.region(), DemoPlatform.ACCOUNT);
        return (Map<String, Object>) r.resolveTree(
                ((Map<String, Object>) resource.get("Properties")).get("PolicyDocument"), "PermissionsBoundary");
    }

    /** Prints each function's verdict under each resolution; the number of functions with a denial. */
    int report(List<IamEvaluation.Resolution> resolutions) throws IOException, InterruptedException {
        int failures = 0;
        for (IamEvaluation.Verdict v : judge(resolutions)) {
            System.err.println("ops: iam-check: IAM engine, " + v.resolution() + ": " + v.function() + ": "
                    + v.requests() + " requests, " + v.evaluations() + " evaluations, "
                    + (v.denials().isEmpty() ? "no denial" : v.denials().size() + " denial(s):"));
            v.denials().forEach(d -> System.err.println("ops: iam-check:   " + d));
            failures += v.denials().isEmpty() ? 0 : 1;
        }
        return failures;
    }

    private List<IamEvaluation.Verdict> judge(List<IamEvaluation.Resolution> resolutions)
            throws IOException, InterruptedException {
        return IamEvaluation.judge(root, work, resolutions, runs, tagsLog, facts, now);
    }

    /**
     * The two broken copies, each of which the engine must refuse for what was broken (a denial of
     * rds:CreateDBSnapshot); false if either passes. {@code cfn} is the real template, transformed.
     */
    boolean controls(LeastPrivilegeCheck.Sources sources, Template cfn) throws IOException, InterruptedException {
        String template = Files.readString(sources.template());
        Matcher m = TAG_KEY_LIST.matcher(template);
        int statement = template.indexOf(NARROWED_STATEMENT);
        if (statement < 0 || !m.find(statement)) {
            System.err.println("ops: iam-check: control: no aws:TagKeys list to narrow in " + sources.template());
            return false;
        }
        Path narrowed = work.resolve("template-narrowed.yaml");
        Files.writeString(narrowed, template.substring(0, m.start()) + m.group(1) + "]" + template.substring(m.end()));
        boolean first = refused(
                "a tag-key list without " + m.group(2),
                resolutions(LeastPrivilegeCheck.transformed(root, narrowed, work), sources.bootstrap())
                        .subList(0, 1));
        String bootstrap = Files.readString(sources.bootstrap());
        Path without = work.resolve("bootstrap-without-create-snapshot.yaml");
        Files.writeString(without, bootstrap.replaceAll("(?m)^\\s*- rds:CreateDBSnapshot\\s*$\\n", ""));
        boolean second = refused(
                "a boundary without rds:CreateDBSnapshot",
                resolutions(cfn, without).subList(0, 1));
        return first && second;
    }

    private boolean refused(String what, List<IamEvaluation.Resolution> resolutions)
            throws IOException, InterruptedException {
        List<String> denials = new ArrayList<>();
        judge(resolutions)
                .forEach(v -> v.denials().stream()
                        .filter(d -> d.contains("-> " + BROKEN_ACTION + " on"))
                        .forEach(denials::add));
        System.err.println("ops: iam-check: control, " + what + ": "
                + (denials.isEmpty()
                        ? "NOT refused: the check cannot fail"
                        : "refused as expected (" + denials.size() + " denial(s), first: " + denials.get(0) + ")"));
        return !denials.isEmpty();
    }
}
