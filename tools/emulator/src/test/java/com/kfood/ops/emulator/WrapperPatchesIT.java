package com.kfood.ops.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The emulator wrapper's own tests (src/test/python, one per patch), each against the real wrapper
 * on the real moto server, run in the build like every other test: a moto upgrade that breaks a
 * patch fails here, naming the patch, not later in a function's IT.
 */
class WrapperPatchesIT {
    @Test
    void everyPatchHoldsOnTheRealMotoServer() throws Exception {
        assumeTrue(
                new ProcessBuilder("python3", "-c", "import moto.server, boto3")
                                .start()
                                .waitFor()
                        == 0,
                "moto[server] and boto3 are needed");
        File tests = Path.of("src/test/python").toAbsolutePath().toFile();
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-v", "-s", tests.getPath())
                .directory(tests)
                .redirectErrorStream(true);
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the sources
        Process run = pb.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(10, TimeUnit.MINUTES)).isTrue();
        System.out.println(output);
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("OK").doesNotContain("skipped");
    }
}
