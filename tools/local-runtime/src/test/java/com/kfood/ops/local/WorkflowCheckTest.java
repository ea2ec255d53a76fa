package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/checks/workflow-check.py: the pipeline as committed deploys only main's pushes and dispatches, and
 * each way of opening it to fork code (or of weakening a credential job) is refused.
 */
class WorkflowCheckTest {
    private static final String GUARD =
            "github.ref == 'refs/heads/main' && (github.event_name == 'push' || github.event_name == 'workflow_dispatch')"
                    + " && !github.event.repository.fork";

    private record Run(int exit, String output) {}

    private static Run check(Path root) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "python3",
                        InvokeTest.ROOT
                                .resolve("tools/checks/workflow-check.py")
                                .toString(),
                        root.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static void requireTools() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import yaml, samtranslator").start();
        assumeTrue(p.waitFor() == 0, "python3 with PyYAML and samtranslator is needed");
    }

    /** A copy of the repository's workflows and bootstrap template with one replacement in deploy.yml. */
    private static Path copyWith(Path dir, String from, String to) throws IOException {
        Files.createDirectories(dir.resolve(".github/workflows"));
        Files.createDirectories(dir.resolve("bootstrap"));
        Files.createDirectories(dir.resolve("tools/pipeline"));
        for (String f : new String[] {
            "tools/pipeline/changeset.sh",
            ".github/workflows/ci.yml",
            "bootstrap/pipeline.yaml",
            ".github/CODEOWNERS",
            ".github/environments.yml",
            "pom.xml"
        }) {
            Files.copy(InvokeTest.ROOT.resolve(f), dir.resolve(f));
        }
        String deploy = Files.readString(InvokeTest.ROOT.resolve(".github/workflows/deploy.yml"));
        assertThat(deploy).contains(from);
        Files.writeString(dir.resolve(".github/workflows/deploy.yml"), deploy.replace(from, to));
        return dir;
    }

    /** A copy of the repository's workflows and bootstrap template with one replacement in the bootstrap. */
    private static Path bootstrapWith(Path dir, String from, String to) throws IOException {
        copyWith(dir, "on:\n", "on:\n");
        String bootstrap = Files.readString(InvokeTest.ROOT.resolve("bootstrap/pipeline.yaml"));
        assertThat(bootstrap).contains(from);
        Files.writeString(dir.resolve("bootstrap/pipeline.yaml"), bootstrap.replace(from, to));
        return dir;
    }

    /** One point of the security review's second round broken in a copy of the bootstrap. */
    private record Breakage(String name, String from, String to, String expected) {}

    private static final List<Breakage> BOOTSTRAP_BREAKAGES = List.of(
            new Breakage(
                    "boundary-reads-any-secret",
                    "            Action: secretsmanager:GetSecretValue\n            Resource:\n",
                    "            Action: secretsmanager:GetSecretValue\n            Resource: \"*\"\n            NotResource:\n",
                    "PermissionsBoundary: secretsmanager:GetSecretValue on every resource"),
            new Breakage(
                    "service-role-rewrites-any-key-policy",
                    "                Resource: !Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*\n",
                    "                Resource: \"*\"\n",
                    "CloudFormationExecutionRole: kms:PutKeyPolicy on every resource"),
            new Breakage(
                    "service-role-passes-any-environments-roles",
                    "                Action: iam:PassRole\n                Resource: !Sub\n"
                            + "                  - arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Stack}-*\n",
                    "                Action: iam:PassRole\n                Resource: !Sub\n"
                            + "                  - arn:${AWS::Partition}:iam::${AWS::AccountId}:role/kfood-ops-*\n",
                    "iam:PassRole beyond roles named kfood-ops-<environment>-*"),
            new Breakage(
                    "github-role-imports",
                    "              - Sid: NeverAnImport\n                Effect: Deny\n",
                    "              - Sid: NeverAnImport\n                Effect: Allow\n",
                    "DeployRole: may create IMPORT change sets"),
            new Breakage(
                    "github-role-any-template",
                    "              - Sid: OnlyTheEnvironmentsPackages\n                Effect: Deny\n",
                    "              - Sid: OnlyTheEnvironmentsPackages\n                Effect: Allow\n",
                    "change sets from any template URL"),
            new Breakage(
                    "prod-deploys-from-stagings-prefix",
                    "    prod:\n      Prefix: promoted\n",
                    "    prod:\n      Prefix: kfood-ops\n",
                    "Packages: prod does not deploy from a prefix of its own"),
            new Breakage(
                    "anyone-writes-promoted",
                    "            - Sid: OnlyThePromotionWritesPromoted\n"
                            + "              # what prod deploys cannot change after the change set was shown and approved\n"
                            + "              Effect: Deny\n",
                    "            - Sid: OnlyThePromotionWritesPromoted\n              Effect: Allow\n",
                    "others than the promotion may write what prod deploys"),
            new Breakage(
                    "no-signer",
                    "      PlatformId: AWSLambda-SHA384-ECDSA\n",
                    "      PlatformId: Notation-OCI-SHA384-ECDSA\n",
                    "no AWS Signer profile for Lambda"),
            new Breakage(
                    "unsigned-functions-allowed",
                    "              - Sid: OnlySignedFunctions\n"
                            + "                # no function without a code signing config, and none taken away\n"
                            + "                Effect: Deny\n",
                    "              - Sid: OnlySignedFunctions\n                Effect: Allow\n",
                    "may create a function without a code signing config"),
            new Breakage(
                    "names-without-environment",
                    "      RoleName: !Sub kfood-ops-${Environment}-cloudformation\n",
                    "      RoleName: kfood-ops-cloudformation\n",
                    "does not carry the environment"));

    @Test
    void aBootstrapThatReachesBeyondItsEnvironmentIsRefused(@TempDir Path dir) throws Exception {
        requireTools();
        for (Breakage b : BOOTSTRAP_BREAKAGES) {
            Run run = check(bootstrapWith(dir.resolve(b.name()), b.from(), b.to()));
            assertThat(run.output()).as(b.name()).contains(b.expected());
            assertThat(run.exit()).as(b.name()).isEqualTo(1);
        }
    }

    @Test
    void theGithubProtectionsLiveInTheRepositoryAndAreChecked(@TempDir Path dir) throws Exception {
        requireTools();
        Path unowned = copyWith(dir.resolve("unowned"), "on:\n", "on:\n");
        String owners = Files.readString(unowned.resolve(".github/CODEOWNERS"));
        Files.writeString(unowned.resolve(".github/CODEOWNERS"), owners.replace("/bootstrap/ ", "/docs/ "));
        Path selfApproved = copyWith(dir.resolve("self-approved"), "on:\n", "on:\n");
        String settings = Files.readString(selfApproved.resolve(".github/environments.yml"));
        assertThat(settings).contains("prevent_self_review: true");
        Files.writeString(
                selfApproved.resolve(".github/environments.yml"),
                settings.replace("prevent_self_review: true", "prevent_self_review: false"));
        Path skippedOnly = copyWith(dir.resolve("skipped-only"), "          exit 1\n", "          exit 0\n");
        Path unattested = copyWith(
                dir.resolve("unattested"),
                "        uses: actions/attest-build-provenance@a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32 # v4.1.0\n",
                "        uses: actions/upload-artifact@330a01c490aca151604b8cf639adc76d48f6c5d4 # v5.0.0\n");
        Path inline = copyWith(
                dir.resolve("inline"),
                "        run: tools/pipeline/changeset.sh package staging \"$ARTIFACTS_BUCKET\" \"$SIGNING_PROFILE\"\n",
                "        run: tools/pipeline/changeset.sh package staging \"${{ vars.ARTIFACTS_BUCKET }}\" x\n");

        assertThat(check(unowned).output()).contains("CODEOWNERS: /bootstrap/ has no owner");
        assertThat(check(unattested).output()).contains("deploy.yml: the build deployed has no provenance");
        assertThat(check(selfApproved).output())
                .contains("prod without required reviewers who cannot approve their own run");
        Run skipped = check(skippedOnly);
        assertThat(skipped.output()).contains("a run from another ref is only skipped, not refused");
        assertThat(skipped.exit()).isEqualTo(1);
        assertThat(check(inline).output()).contains("deploy.yml staging: an expression inline in run:");
        Path lenient = copyWith(dir.resolve("lenient"), "on:\n", "on:\n");
        Files.writeString(
                lenient.resolve("pom.xml"),
                Files.readString(lenient.resolve("pom.xml")).replace("<checksumPolicy>fail<", "<checksumPolicy>warn<"));
        assertThat(check(lenient).output())
                .contains("pom.xml: a Maven Central download with a wrong checksum only warns");
    }

    @Test
    void theCommittedPipelineDeploysOnlyMain() throws Exception {
        requireTools();
        Run run = check(InvokeTest.ROOT);
        assertThat(run.output())
                .contains("push to main: deploys (deploy.yml:prod, deploy.yml:prod-change-set, deploy.yml:staging)")
                .contains("fork pull request from a branch named main: no credentials")
                .contains("(workflow_run): no credentials")
                .contains("dispatch from a feature branch: no credentials")
                .contains(": 0 problem(s)");
        assertThat(run.exit()).isZero();
    }

    @Test
    void aWorkflowRunTriggerBesideCredentialJobsIsRefused(@TempDir Path dir) throws Exception {
        requireTools();
        Run run = check(
                copyWith(
                        dir,
                        "  workflow_dispatch:\n",
                        "  workflow_dispatch:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]\n    branches: [main]\n"));
        // the guards still hold (the event name is not push), but the trigger itself is refused
        assertThat(run.output()).contains("a workflow_run trigger beside jobs that hold credentials");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void aJobGuardThatForgetsTheBranchLetsAnyBranchDeployByDispatch(@TempDir Path dir) throws Exception {
        requireTools();
        String deploy = Files.readString(InvokeTest.ROOT.resolve(".github/workflows/deploy.yml"));
        assertThat(deploy).contains("    if: " + GUARD + "\n");
        Path root = copyWith(
                dir,
                "    if: " + GUARD + "\n",
                "    if: github.event_name == 'push' || github.event_name == 'workflow_dispatch'\n");
        Run run = check(root);
        assertThat(run.output()).contains("dispatch from a feature branch reaches jobs that assume a role");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void aToolInstalledWhileHoldingCredentialsOrAnUnpinnedActionIsRefused(@TempDir Path dir) throws Exception {
        requireTools();
        Run run = check(copyWith(
                dir,
                "      - id: package\n",
                "      - run: pip install aws-sam-cli\n      - uses: actions/cache@v4\n      - id: package\n"));
        assertThat(run.output())
                .contains(
                        "deploy.yml staging: installs or downloads a tool while holding credentials: pip install aws-sam-cli")
                .contains("deploy.yml staging: actions/cache@v4 is not pinned by a full commit SHA");
        assertThat(run.exit()).isEqualTo(1);
    }
}
