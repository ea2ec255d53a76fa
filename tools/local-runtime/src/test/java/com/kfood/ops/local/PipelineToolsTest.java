package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy pipeline's own tools: each package signed once and pinned by the signed object's
 * version (the AWS CLI faked on PATH, answering as it does), and the approver's change-set summary
 * calling out policies, permissions and code.
 */
class PipelineToolsTest {
    private static final Path RESOURCES = Path.of("src/test/resources/pipeline").toAbsolutePath();

    private record Run(int exit, String stdout, String stderr) {}

    /**
     * The interpreter itself, not a version manager's shim: a shim (pyenv) puts its own bin, with a
     * real AWS CLI, first on PATH, before the fake.
     */
    private static String interpreter() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.waitFor() == 0 && !path.isEmpty() ? path : "python3";
    }

    private static Run python(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(interpreter()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(InvokeTest.ROOT.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    /** sign.py with the fake AWS CLI first on PATH; its calls land in {@code log}. */
    private static Run sign(Path dir, Path log, String fail) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(RESOURCES.resolve("fake-aws"), bin.resolve("aws"));
        bin.resolve("aws").toFile().setExecutable(true);
        Map<String, String> env = new HashMap<>(Map.of(
                "PATH", bin + ":" + System.getenv("PATH"), "FAKE_AWS_LOG", log.toString(), "FAKE_AWS_FAIL", fail));
        return python(
                env,
                "tools/pipeline/sign.py",
                RESOURCES.resolve("packaged.json").toString(),
                "kfood-ops-prod-artifacts",
                "promoted/abc/signed/",
                "kfood_ops_prod");
    }

    @Test
    void eachPackageIsSignedOnceAndDeployedByTheSignedObjectsVersion(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("calls.log");
        Run run = sign(dir, log, "");

        assertThat(run.exit()).as(run.stderr()).isZero();
        JsonNode resources = Json.parseValue(run.stdout()).path("Resources");
        JsonNode snapshot = resources.at("/SnapshotFunction/Properties/CodeUri");
        assertThat(snapshot.path("Bucket").asText()).isEqualTo("kfood-ops-prod-artifacts");
        assertThat(snapshot.path("Key").asText()).isEqualTo("promoted/abc/signed/job-1f2e3d.zip");
        assertThat(snapshot.path("Version").asText()).isEqualTo("v-promoted_abc_signed_job-1f2e3d.zip");
        assertThat(resources.at("/PruneAgain/Properties/CodeUri"))
                .isEqualTo(resources.at("/PruneFunction/Properties/CodeUri"));
        assertThat(resources.at("/Plain/Properties/Code/S3ObjectVersion").asText())
                .isEqualTo("v-promoted_abc_signed_job-5d5d5d.zip");
        assertThat(resources.at("/AlarmsTopic/Properties").size()).isZero();

        List<String> calls = Files.readAllLines(log);
        // three packages, three signing jobs, each from the unsigned object's own version
        assertThat(calls.stream().filter(c -> c.contains("start-signing-job"))).hasSize(3);
        assertThat(calls)
                .anySatisfy(c -> assertThat(c)
                        .contains("\\\"version\\\": \\\"v-promoted_abc_unsigned_1f2e3d\\\"")
                        .contains("kfood_ops_prod"));
        assertThat(run.stderr()).contains("3 package(s) signed with kfood_ops_prod, versions pinned");
    }

    @Test
    void aPackageThatCannotBeSignedStopsThePipeline(@TempDir Path dir) throws Exception {
        Run denied = sign(dir, dir.resolve("calls.log"), "signer start-signing-job");

        assertThat(denied.exit()).isNotZero();
        assertThat(denied.stdout()).isEmpty();
        assertThat(denied.stderr())
                .contains("sign.py: aws signer start-signing-job failed")
                .contains("AccessDenied");

        Path unpackaged = dir.resolve("unpackaged.json");
        Files.writeString(
                unpackaged,
                "{\"Resources\":{\"F\":{\"Type\":\"AWS::Serverless::Function\",\"Properties\":{\"CodeUri\":\".\"}}}}");
        Run local = python(Map.of(), "tools/pipeline/sign.py", unpackaged.toString(), "b", "p/", "prof");
        assertThat(local.exit()).isNotZero();
        assertThat(local.stderr()).contains("F: its code is not an uploaded package");
    }

    @Test
    void theApproverSeesEveryPropertyAndPoliciesPermissionsAndCodeFirst() throws Exception {
        Run run = python(
                Map.of(),
                "tools/pipeline/summary.py",
                RESOURCES.resolve("change-set-page.json").toString());

        assertThat(run.exit()).as(run.stderr()).isZero();
        String look = run.stdout()
                .substring(
                        run.stdout().indexOf("#### Look closely"), run.stdout().indexOf("#### Every"));
        assertThat(look)
                .contains(
                        "**IAM policy** `SnapshotFunctionRole` /Properties/Policies/0/PolicyDocument/Statement/3/Resource:"
                                + " arn:aws:s3:::kfood-backups/uploads/* -> *")
                .contains("**key policy** `BackupKey`")
                .contains("**code** `SnapshotFunction` /Properties/Code/S3ObjectVersion")
                .contains("**bucket policy** `BackupBucketPolicy`")
                .contains("**AWS::Lambda::Permission** added: `OpenInvoke`")
                .doesNotContain("Timeout")
                .doesNotContain("RetentionInDays");
        assertThat(run.stdout())
                .contains("| SnapshotFunction | /Properties/Timeout | Modify | 60 | 90 | Never |")
                .contains("| HealthCheckFunctionLogs | /Properties/RetentionInDays | Modify | 90 | 30 | Never |")
                .contains("s3:BypassGovernanceRetention \\| denied")
                .contains("x".repeat(300) + "...")
                .doesNotContain("x".repeat(301));
    }
}
