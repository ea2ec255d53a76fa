package com.kfood.ops.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The moto server (the AWS emulator) as a process on 127.0.0.1: started, waited for, reset between
 * tests, its RDS clock moved for snapshot ages, stopped. Used by {@code ./ops emulator} and by the
 * integration tests, so both run the emulator the same way.
 */
public final class Emulator implements AutoCloseable {
    private static final String CLOCK_FILE = "moto-clock-offset";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final Process process;
    private final Path clockFile;

    private Emulator(int port, Process process, Path clockFile) {
        this.port = port;
        this.process = process;
        this.clockFile = clockFile;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static boolean isUp(int port) {
        try {
            HttpResponse<Void> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/moto-api/"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The wrapper (moto_wrapper.py starts moto with each patch applied) and its patches, one file each. */
    static final List<String> WRAPPER_FILES = List.of(
            "moto_wrapper.py",
            "moto_version.py",
            "wrapper_util.py",
            "patch_clock.py",
            "patch_iam_resources.py",
            "patch_missing_calls.py",
            "patch_cbor.py",
            "patch_report_reads.py",
            "patch_tag_log.py");

    /**
     * Starts moto on {@code port}, its output in {@code workDir/moto.log}, and waits until it answers.
     * The process outlives this JVM unless {@link #close()} is called.
     */
    public static Emulator start(int port, Path workDir, Map<String, String> extraEnv) throws IOException {
        requireMoto();
        Files.createDirectories(workDir);
        Path wrapper = workDir.resolve("emulator");
        Files.createDirectories(wrapper);
        for (String file : WRAPPER_FILES) {
            try (InputStream in = Emulator.class.getResourceAsStream("/kfood-ops/emulator/" + file)) {
                Files.copy(in, wrapper.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path launcher = wrapper.resolve("moto_wrapper.py");
        Path clock = workDir.resolve(CLOCK_FILE);
        Files.writeString(clock, "0");
        ProcessBuilder pb = new ProcessBuilder(
                        "python3", launcher.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        workDir.resolve("moto.log").toFile()));
        pb.environment().put("KFOOD_MOTO_CLOCK_FILE", clock.toString());
        pb.environment().putAll(extraEnv);
        Process process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!isUp(port)) {
            if (!process.isAlive()) {
                throw new IOException("moto server exited with " + process.exitValue() + ": "
                        + lastLine(workDir.resolve("moto.log")) + " (see " + workDir.resolve("moto.log") + ")");
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("moto server did not answer on port " + port + " within 60 s; see "
                        + workDir.resolve("moto.log"));
            }
            sleep(100);
        }
        return new Emulator(port, process, clock);
    }

    /** The log's last line: why the server stopped, said where the failure is reported. */
    static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return "no output";
    }

    private static void requireMoto() throws IOException {
        try {
            Process check = new ProcessBuilder("python3", "-c", "import moto.server")
                    .redirectErrorStream(true)
                    .start();
            if (check.waitFor() != 0) {
                throw new IOException(
                        "moto_server is not installed (python3 cannot import moto.server); install moto[server]");
            }
        } catch (IOException e) {
            throw new IOException(
                    "moto_server is not available: python3 with moto[server] is needed (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking for moto", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    /** Clears every resource in the emulator and puts its clock back. */
    public void reset() throws IOException {
        try {
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        setClockOffset(Duration.ZERO);
    }

    /** Moves the emulator's RDS clock: what it creates now is stamped {@code offset} from real time. */
    public void setClockOffset(Duration offset) throws IOException {
        Files.writeString(clockFile, String.valueOf(offset.toMillis() / 1000.0));
    }

    /** The same for an emulator started earlier from {@code workDir} (by {@code ./ops emulator start}). */
    public static void setClockOffset(Path workDir, Duration offset) throws IOException {
        Files.writeString(workDir.resolve(CLOCK_FILE), String.valueOf(offset.toMillis() / 1000.0));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
