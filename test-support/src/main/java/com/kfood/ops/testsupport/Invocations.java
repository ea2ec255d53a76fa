package com.kfood.ops.testsupport;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.LocalContext;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.shared.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Invokes a handler as Lambda does: bytes in, bytes out, a context with a deadline. */
public final class Invocations {
    private Invocations() {}

    /** A fixture from events/ (on the test classpath), as bytes. */
    public static byte[] event(String path) {
        try (InputStream in = Invocations.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path + " on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] json(Object event) {
        return (event instanceof String s ? s : Json.write(event)).getBytes(StandardCharsets.UTF_8);
    }

    public static JsonNode invoke(RequestStreamHandler handler, byte[] event) {
        return invoke(handler, event, 900);
    }

    public static JsonNode invoke(RequestStreamHandler handler, byte[] event, int timeoutSeconds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(event), out, new LocalContext("test", timeoutSeconds, 512));
            return Mapper.get().readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
