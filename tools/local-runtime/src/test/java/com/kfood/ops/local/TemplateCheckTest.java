package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** tools/template-check.py passes the real template and refuses a careless one, for each reason. */
class TemplateCheckTest {
    private record Run(int exit, String output) {
    }

    private static Run check(Path template) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", InvokeTest.ROOT.resolve("tools/template-check.py").toString(), template.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static void requireTools() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import samtranslator, cfnlint").start();
        assumeTrue(p.waitFor() == 0, "python3 with samtranslator and cfn-lint is needed");
    }

    @Test
    void theStacksTemplatePasses() throws Exception {
        requireTools();
        Run run = check(InvokeTest.ROOT.resolve("template.yaml"));
        assertThat(run.output()).contains("5 functions").contains("0 problem(s)");
        assertThat(run.exit()).isZero();
    }

    @Test
    void aCarelessTemplateIsRefusedForEveryReason() throws Exception {
        requireTools();
        Run run = check(Path.of("src/test/resources/bad-template.yaml").toAbsolutePath());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output())
                .contains("IAM action rds:DeleteEverything does not exist")
                .contains("mutating action rds:DeleteDBSnapshot is allowed on Resource '*'")
                .doesNotContain("rds:DescribeDBSnapshots is allowed")
                .contains("Careless: its log group has no retention")
                .contains("Careless: invoked asynchronously but has no on-failure destination")
                .contains("PlainTopic: SNS topic is not encrypted")
                .contains("PlainQueue: SQS queue is not encrypted")
                .contains("environment variable DB_PASSWORD looks like a secret");
    }
}
