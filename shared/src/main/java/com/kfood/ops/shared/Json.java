package com.kfood.ops.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/** One JSON mapper for events, results and notifications. */
public final class Json {
    /** Events are small; anything deeper or longer than this is hostile, not an event. */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxStringLength(1_000_000)
            .maxDocumentLength(6L * 1024 * 1024)
            .build();

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(LIMITS);
    }

    private Json() {
    }

    /** Reads an event; anything that is not a JSON object is an {@link InvalidEventException}. */
    public static JsonNode readEvent(InputStream in) {
        JsonNode node;
        try {
            node = MAPPER.readTree(in);
        } catch (IOException e) {
            throw new InvalidEventException("event is not valid JSON: " + Text.printable(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage(), 160));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("event must be a JSON object, got " + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return node;
    }

    /** Parses JSON carried inside a string field (SNS Message); null when it is not an object. */
    public static JsonNode parseEmbedded(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A text field, or null when absent, null or not text. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
