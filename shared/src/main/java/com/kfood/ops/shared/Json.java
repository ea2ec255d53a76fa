package com.kfood.ops.shared;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * JSON for events, results, logs and notifications: Jackson's streaming parser and generator with
 * its tree nodes, and no ObjectMapper on the functions' path. The mapper's class initialisation
 * alone (a SimpleDateFormat and its locale data for StdDateFormat) cost 45 ms of every cold start,
 * and its first bean serialisation 20 ms more (docs/cold-start.md); results here are records,
 * lists, maps, enums and scalars, which {@link #tree(Object)} turns into nodes directly.
 */
public final class Json {
    /** Events are small; anything deeper or longer than this is hostile, not an event. */
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(64)
            .maxStringLength(1_000_000)
            .maxDocumentLength(6L * 1024 * 1024)
            .build();

    private static final JsonFactory FACTORY =
            JsonFactory.builder().streamReadConstraints(LIMITS).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How a record type is written, read once per type: its accessors, Jackson's two annotations honoured. */
    private record Shape(RecordComponent[] components, boolean[] unwrapped, boolean skipNulls) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            boolean[] unwrapped = new boolean[components.length];
            for (int i = 0; i < components.length; i++) {
                components[i].getAccessor().setAccessible(true); // records nested privately in a function's package
                unwrapped[i] = components[i].getAccessor().isAnnotationPresent(JsonUnwrapped.class);
            }
            JsonInclude include = type.getAnnotation(JsonInclude.class);
            return new Shape(components, unwrapped, include != null && include.value() == JsonInclude.Include.NON_NULL);
        }
    };

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Reads an event; anything that is not a JSON object is an {@link InvalidEventException}. */
    public static JsonNode readEvent(InputStream in) {
        JsonNode node;
        try (JsonParser parser = FACTORY.createParser(in)) {
            node = read(parser);
        } catch (IOException e) {
            throw new InvalidEventException("event is not valid JSON: "
                    + Text.printable(
                            e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage(), 160));
        }
        if (!node.isObject()) {
            throw new InvalidEventException("event must be a JSON object, got "
                    + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return node;
    }

    /** Parses JSON carried inside a string field (SNS Message); null when it is not an object. */
    public static JsonNode parseEmbedded(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonNode node = read(parser);
            return node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses a JSON document of any kind (a configured array, say); null when it is not JSON. */
    public static JsonNode parseValue(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonNode node = read(parser);
            return node.isMissingNode() || parser.nextToken() != null ? null : node;
        } catch (IOException e) {
            return null;
        }
    }

    /** The first JSON value of the input as a tree (what follows it is ignored); missing when empty. */
    private static JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? MissingNode.getInstance() : value(parser, token);
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(parser, t));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT ->
                switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new JsonProcessingException("unexpected " + token, parser.currentLocation()) {};
        };
    }

    /** One line of JSON: a tree as is, anything else through {@link #tree(Object)}. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generate(generator, tree(value));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot serialise "
                            + (value == null ? "null" : value.getClass().getSimpleName()),
                    e);
        }
        return out.toString();
    }

    /** Writes a tree with the streaming generator (a node's own serialize() wants a mapper's provider). */
    private static void generate(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    g.writeFieldName(field.getKey());
                    generate(g, field.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode item : node) {
                    generate(g, item);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> g.writeNumber(node.intValue());
                    case LONG -> g.writeNumber(node.longValue());
                    case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
                    case FLOAT -> g.writeNumber(node.floatValue());
                    case DOUBLE -> g.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL, MISSING -> g.writeNull();
            default -> g.writeString(node.asText()); // binary and POJO nodes: never made here
        }
    }

    /**
     * A value as a tree: records by their components in declaration order, maps and iterables,
     * enums by name, numbers, text and booleans as such, empty optionals as null; anything else by
     * its {@code toString()} (time types read as ISO-8601).
     */
    public static JsonNode tree(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case JsonNode node -> node;
            case CharSequence text -> NODES.textNode(text.toString());
            case Boolean b -> NODES.booleanNode(b);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Short s -> NODES.numberNode(s);
            case Byte b -> NODES.numberNode(b);
            case Double d -> NODES.numberNode(d);
            case Float f -> NODES.numberNode(f);
            case BigDecimal d -> NODES.numberNode(d);
            case BigInteger i -> NODES.numberNode(i);
            case Enum<?> e -> NODES.textNode(e.name());
            case Optional<?> o -> tree(o.orElse(null));
            case Record r -> record(r);
            case Map<?, ?> map -> {
                ObjectNode object = NODES.objectNode();
                map.forEach((k, v) -> object.set(k instanceof Enum<?> e ? e.name() : String.valueOf(k), tree(v)));
                yield object;
            }
            case Iterable<?> items -> {
                ArrayNode array = NODES.arrayNode();
                items.forEach(item -> array.add(tree(item)));
                yield array;
            }
            case Object[] items -> {
                ArrayNode array = NODES.arrayNode();
                for (Object item : items) {
                    array.add(tree(item));
                }
                yield array;
            }
            default -> NODES.textNode(value.toString());
        };
    }

    /**
     * A record's components in order; as with Jackson, {@code @JsonInclude(NON_NULL)} on the record
     * leaves its null components out, and a {@code @JsonUnwrapped} component's own fields take its
     * place.
     */
    private static ObjectNode record(Record r) {
        ObjectNode object = NODES.objectNode();
        Shape shape = SHAPES.get(r.getClass());
        RecordComponent[] components = shape.components();
        for (int i = 0; i < components.length; i++) {
            Method accessor = components[i].getAccessor();
            Object value;
            try {
                value = accessor.invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(
                        "cannot read " + r.getClass().getSimpleName() + "." + components[i].getName(), e);
            }
            if (value == null && shape.skipNulls()) {
                continue;
            }
            JsonNode node = tree(value);
            if (!shape.unwrapped()[i]) {
                object.set(components[i].getName(), node);
            } else if (node instanceof ObjectNode fields) {
                object.setAll(fields);
            }
        }
        return object;
    }

    /** A text field, or null when absent, null or not text. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
