package com.kfood.ops.testsupport;

import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Integration tests against a real moto server over HTTP: one server per test JVM on a free port,
 * started on first use, stopped when the run ends, reset before every test. Inject {@link Moto}.
 */
public final class MotoExtension implements BeforeEachCallback, ParameterResolver {

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        moto(context).emulator().reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Moto.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return moto(context);
    }

    private static Moto moto(ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Moto.class, k -> start(), Moto.class);
    }

    private static Moto start() {
        try {
            Path work = Files.createTempDirectory("kfood-moto");
            // 2,000-snapshot runs need more than AWS's default limit of 100 manual snapshots
            Emulator emulator = Emulator.start(
                    Emulator.freePort(),
                    work,
                    Map.of("MOTO_RDS_SNAPSHOT_LIMIT", "5000", "MOTO_ECS_SERVICE_RUNNING", "2"));
            return new Moto(emulator, DemoPlatform.emulatorEnv(emulator.endpoint()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the moto server for integration tests: " + e.getMessage(), e);
        }
    }
}
