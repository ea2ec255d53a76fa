package com.kfood.ops.emulator;

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
 * The emulator wrapper patches moto's internals: a moto it was not tested with is refused at start,
 * with what to do, and the refusal is what the caller reads, not "see the log".
 */
class EmulatorVersionTest {
    private static final Path WRAPPER_DIR =
            Path.of("src/main/resources/kfood-ops/emulator").toAbsolutePath();

    private record Run(int exit, String output) {}

    /** The real wrapper run as the emulator runs it, with moto claiming {@code version}. */
    private static Run wrapperWith(String version, String allowUntested) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(
                        "python3",
                        "-c",
                        // past the check, moto's own server only prints its usage (--help) and exits
                        "import moto, runpy, sys; moto.__version__ = sys.argv[1]; sys.path.insert(0, '"
                                + WRAPPER_DIR + "'); sys.argv = ['moto_wrapper.py', '--help']; runpy.run_path('"
                                + WRAPPER_DIR.resolve("moto_wrapper.py") + "', run_name='__main__')",
                        version)
                .redirectErrorStream(true);
        pb.environment().put("KFOOD_MOTO_UNTESTED", allowUntested);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output);
    }

    private static void requireMoto() throws IOException, InterruptedException {
        assumeTrue(
                new ProcessBuilder("python3", "-c", "import moto.server")
                                .start()
                                .waitFor()
                        == 0,
                "moto is needed");
    }

    @Test
    void anUntestedMotoIsRefusedWithWhatToDo() throws Exception {
        requireMoto();
        Run refused = wrapperWith("9.9.9", "");

        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.output())
                .contains("kfood-ops emulator: moto 9.9.9 is not a version its patches were tested with (5.2.1)")
                .contains("pip install 'moto[server]==5.2.1'")
                .contains("KFOOD_MOTO_UNTESTED=1");
    }

    @Test
    void theTestedMotoOrAnExplicitTryIsNotRefused() throws Exception {
        requireMoto();
        for (Run run : List.of(wrapperWith("5.2.1", ""), wrapperWith("9.9.9", "1"))) {
            assertThat(run.output()).doesNotContain("is not a version").contains("usage:");
            assertThat(run.exit()).isZero();
        }
    }

    @Test
    void theEmulatorCopiesEveryFileOfTheWrapper() throws IOException {
        try (var files = Files.list(WRAPPER_DIR)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".py")))
                    .containsExactlyInAnyOrderElementsOf(Emulator.WRAPPER_FILES);
        }
    }

    @Test
    void theEmulatorsFailureCarriesTheLogsLastLine(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("moto.log");
        Files.write(log, List.of("starting", "kfood-ops emulator: moto 9.9.9 is not a version ...", "", "  "));

        assertThat(Emulator.lastLine(log)).isEqualTo("kfood-ops emulator: moto 9.9.9 is not a version ...");
        Files.writeString(log, "");
        assertThat(Emulator.lastLine(log)).isEqualTo("no output");
    }
}
