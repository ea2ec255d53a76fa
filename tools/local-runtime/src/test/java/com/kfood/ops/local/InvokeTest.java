package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.kfood.ops.emulator.LocalContext;
import com.kfood.ops.emulator.Template;
import com.kfood.ops.shared.Env;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./ops invoke resolves a function's environment as sam local invoke would, from the real template. */
class InvokeTest {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();

    private static Map<String, String> environment(String id, String envVars, Map<String, String> shell)
            throws IOException {
        return Invoke.environment(
                Template.load(ROOT.resolve("template.yaml")),
                SamConfig.load(ROOT.resolve("samconfig.toml"), "local"),
                id,
                envVars,
                shell);
    }

    @Test
    void templateIntrinsicsBecomeTheirLongForm() throws IOException {
        Template t = Template.load(ROOT.resolve("template.yaml"));
        assertThat(t.functions())
                .containsExactly(
                        "SnapshotFunction",
                        "PruneFunction",
                        "AlarmRemediationFunction",
                        "DeployNotifierFunction",
                        "HealthCheckFunction",
                        "DatabaseCareFunction",
                        "RestoreDrillFunction",
                        "OpsReportFunction");
        assertThat(t.environment("SnapshotFunction").get("DB_INSTANCE_IDS")).isEqualTo(Map.of("Ref", "DbInstanceIds"));
        assertThat(t.functionProperty("SnapshotFunction", "Runtime")).isEqualTo("java25");
    }

    @Test
    void environmentComesFromTheTemplateAndTheLocalParameters() throws IOException {
        Map<String, String> env = environment("SnapshotFunction", null, Map.of());
        assertThat(env)
                .containsEntry("DB_INSTANCE_IDS", "kfood-db")
                .containsEntry("STACK_NAME", "kfood-ops")
                .containsEntry("NOTIFY_TOPIC_ARN", "arn:aws:sns:ap-northeast-2:123456789012:kfood-ops-notifications")
                .containsEntry("BACKUP_BUCKET", "kfood-backups")
                .containsEntry("BACKUP_SOURCE_BUCKET", "kfood-uploads")
                .containsEntry("RETENTION_DAYS", "30")
                .containsEntry("AWS_REGION", "ap-northeast-2")
                .containsEntry("AWS_LAMBDA_FUNCTION_TIMEOUT", "900")
                .containsEntry("METRICS_NAMESPACE", "KfoodOps");
    }

    @Test
    void everyFunctionsEnvironmentResolvesLocally() throws IOException {
        for (String id : Template.load(ROOT.resolve("template.yaml")).functions()) {
            assertThat(environment(id, null, Map.of())).containsKey("NOTIFY_TOPIC_ARN");
        }
        assertThat(environment("AlarmRemediationFunction", null, Map.of()))
                .containsEntry("PRIMARY_DB", "kfood-db")
                .containsEntry("ECS_CLUSTER", "kfood-cluster")
                .containsEntry("RUNBOOK_RULES", "");
    }

    @Test
    void envVarsFileOverridesDeclaredVariablesOnlyAndShellAwsVariablesWin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("env.json");
        Files.writeString(file, """
                {"Parameters": {"RETENTION_DAYS": "14", "NOT_DECLARED": "x"},
                 "SnapshotFunction": {"DB_INSTANCE_IDS": "kfood-db,kfood-db-2"},
                 "PruneFunction": {"DB_INSTANCE_IDS": "other"}}""");
        Map<String, String> env = environment(
                "SnapshotFunction",
                file.toString(),
                Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "HOME", "/root"));
        assertThat(env)
                .containsEntry("RETENTION_DAYS", "14")
                .containsEntry("DB_INSTANCE_IDS", "kfood-db,kfood-db-2")
                .containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
                .doesNotContainKeys("NOT_DECLARED", "HOME");
    }

    @Test
    void samConfigOverridesParseQuotedValues() {
        Map<String, String> into = new HashMap<>();
        SamConfig.parse("A=1 B=\"two words\" C='x=y' D=", into);
        assertThat(into)
                .containsEntry("A", "1")
                .containsEntry("B", "two words")
                .containsEntry("C", "x=y")
                .containsEntry("D", "");
    }

    @Test
    void theResolvedTemplateIsKeptUntilTheTemplateOrSamconfigChanges(@TempDir Path root) throws IOException {
        Files.copy(ROOT.resolve("template.yaml"), root.resolve("template.yaml"));
        Files.copy(ROOT.resolve("samconfig.toml"), root.resolve("samconfig.toml"));
        ResolvedStack first = ResolvedStack.load(root, "local", "123456789012");
        assertThat(ResolvedStack.cacheFile(root, "local")).exists();
        assertThat(first.functions().get("SnapshotFunction").env()).containsEntry("SNAPSHOT_PREFIX", "kfood-ops-dev");
        assertThat(ResolvedStack.load(root, "local", "123456789012")).isEqualTo(first);

        Files.writeString(
                root.resolve("samconfig.toml"),
                Files.readString(root.resolve("samconfig.toml"))
                        .replace(
                                "\"Environment=dev\",\n  \"DbInstanceIds=kfood-db\",",
                                "\"Environment=qa\",\n  \"DbInstanceIds=kfood-db\","));
        assertThat(ResolvedStack.load(root, "local", "123456789012")
                        .functions()
                        .get("SnapshotFunction")
                        .env())
                .as("a changed samconfig is resolved again")
                .containsEntry("SNAPSHOT_PREFIX", "kfood-ops-qa");
        assertThat(ResolvedStack.load(root, "local", "210987654321").stamp())
                .as("another account is another resolution")
                .contains("210987654321");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(Invoke.run(new String[] {"NoSuchFunction"}, ROOT, Map.of())).isEqualTo(Invoke.USAGE);
        assertThat(Invoke.run(new String[] {"SnapshotFunction", "-e", "/no/such/event.json"}, ROOT, Map.of()))
                .isEqualTo(Invoke.USAGE);
        assertThat(Invoke.run(new String[] {}, ROOT, Map.of())).isEqualTo(Invoke.USAGE);
        assertThat(Invoke.run(new String[] {"SnapshotFunction", "--bogus"}, ROOT, Map.of()))
                .isEqualTo(Invoke.USAGE);
    }

    /** Returns its event; throws when the event says so. */
    public static final class EchoHandler implements RequestStreamHandler {
        static final AtomicInteger instances = new AtomicInteger();

        public EchoHandler(Env env) {
            if (env.optional("FAIL_AT_INIT").isPresent()) {
                throw new IllegalStateException("init failed");
            }
            instances.incrementAndGet();
        }

        @Override
        public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
            byte[] event = in.readAllBytes();
            System.out.println("a log line");
            if (new String(event, StandardCharsets.UTF_8).contains("boom")) {
                throw new IllegalArgumentException("boom");
            }
            out.write(event);
        }
    }

    private static String captureStdout(Runnable r) {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void resultGoesToStdoutLogsDoNotAndAThrowingHandlerExitsWithOne() {
        String handler = EchoHandler.class.getName() + "::handleRequest";
        LocalContext ctx = new LocalContext("t", 3, 128);
        int[] rc = new int[1];
        String out = captureStdout(() -> rc[0] =
                Invoke.invoke(handler, Env.of(Map.of()), List.of("{\"ok\":1}".getBytes(StandardCharsets.UTF_8)), ctx));
        assertThat(rc[0]).isEqualTo(Invoke.OK);
        assertThat(out.strip()).isEqualTo("{\"ok\":1}");

        out = captureStdout(() -> rc[0] = Invoke.invoke(
                handler, Env.of(Map.of()), List.of("{\"boom\":1}".getBytes(StandardCharsets.UTF_8)), ctx));
        assertThat(rc[0]).isEqualTo(Invoke.THREW);
        assertThat(out)
                .contains("\"errorType\":\"java.lang.IllegalArgumentException\"")
                .doesNotContain("\tat ");

        out = captureStdout(
                () -> rc[0] = Invoke.invoke(handler, Env.of(Map.of("FAIL_AT_INIT", "1")), List.of(new byte[0]), ctx));
        assertThat(rc[0]).isEqualTo(Invoke.THREW);
        assertThat(out).contains("init failed");
    }

    @Test
    void aTrainingRunTakesEveryEventThroughOneInstanceAndStopsAtTheFirstThatThrows() {
        String handler = EchoHandler.class.getName() + "::handleRequest";
        int[] rc = new int[1];
        int made = EchoHandler.instances.get();
        String out = captureStdout(() -> rc[0] = Invoke.invoke(
                handler,
                Env.of(Map.of()),
                Stream.of("{\"day\":1}", "{\"day\":2}", "{\"boom\":1}", "{\"day\":3}")
                        .map(e -> e.getBytes(StandardCharsets.UTF_8))
                        .toList(),
                new LocalContext("t", 3, 128)));
        assertThat(rc[0]).isEqualTo(Invoke.THREW);
        assertThat(out).contains("{\"day\":1}", "{\"day\":2}", "\"errorType\"").doesNotContain("{\"day\":3}");
        assertThat(EchoHandler.instances.get() - made).isEqualTo(1);
    }

    @Test
    void unresolvableIntrinsicsSayToUseEnvVars() {
        Template t = new Template(Map.of("Resources", Map.of()));
        Resolver r = new Resolver(t, Map.of(), "s", "ap-northeast-2", "123456789012");
        assertThat(r.resolve(Map.of("Fn::Sub", "${AWS::StackName}-x"), "F.V")).isEqualTo("s-x");
        assertThat(r.resolve(Map.of("Fn::Sub", List.of("${A}-${AWS::Region}", Map.of("A", "a"))), "F.V"))
                .isEqualTo("a-ap-northeast-2");
        assertThat(r.resolve(Map.of("Fn::Select", List.of("1", Map.of("Fn::Split", List.of(",", "a,b,c")))), "F.V"))
                .isEqualTo("b");
        assertThat(r.resolve(Map.of("Fn::Join", List.of("-", List.of("a", Map.of("Ref", "AWS::Region")))), "F.V"))
                .isEqualTo("a-ap-northeast-2");
        assertThatThrownBy(() -> r.resolve(Map.of("Fn::ImportValue", "x"), "F.V"))
                .hasMessageContaining("--env-vars");
        assertThatThrownBy(() -> r.resolve(Map.of("Ref", "Nope"), "F.V")).hasMessageContaining("unknown name Nope");
    }
}
