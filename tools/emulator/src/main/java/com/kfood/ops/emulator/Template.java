package com.kfood.ops.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * template.yaml as plain maps, lists and strings. CloudFormation's short-form intrinsics
 * ({@code !Ref X}, {@code !Sub ...}) become their long form ({@code {"Ref": "X"}}), so the resolver
 * deals with one shape.
 */
public record Template(Map<String, Object> root) {

    public static Template load(Path file) throws IOException {
        Node node = new Compose(LoadSettings.builder().setLabel(file.toString()).build())
                .composeString(Files.readString(file))
                .orElseThrow(() -> new IOException(file + " is empty"));
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) convert(node);
        return new Template(map);
    }

    static Object convert(Node node) {
        Object value = switch (node) {
            case ScalarNode scalar -> scalar.getValue();
            case SequenceNode seq -> {
                List<Object> list = new ArrayList<>();
                seq.getValue().forEach(n -> list.add(convert(n)));
                yield list;
            }
            case MappingNode mapping -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (NodeTuple t : mapping.getValue()) {
                    map.put(String.valueOf(convert(t.getKeyNode())), convert(t.getValueNode()));
                }
                yield map;
            }
            default -> throw new IllegalArgumentException("unsupported YAML node " + node.getNodeType());
        };
        String tag = node.getTag().getValue();
        if (tag.startsWith("!") && !tag.startsWith("!!")) {
            String name = tag.substring(1);
            if (name.equals("GetAtt") && value instanceof String s) {
                value = List.of(s.split("\\.", 2));
            }
            return Map.of(name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name, value);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> section(String name) {
        Object value = root.get(name);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> resource(String logicalId) {
        Object value = section("Resources").get(logicalId);
        return value instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
    }

    /** The logical ids of the template's functions, in template order. */
    public List<String> functions() {
        List<String> ids = new ArrayList<>();
        section("Resources").forEach((id, r) -> {
            if (r instanceof Map<?, ?> m && "AWS::Serverless::Function".equals(m.get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** A function property, falling back to {@code Globals.Function} as SAM does. */
    @SuppressWarnings("unchecked")
    public Object functionProperty(String logicalId, String property) {
        Map<String, Object> props =
                (Map<String, Object>) resource(logicalId).orElseThrow().getOrDefault("Properties", Map.of());
        Object own = props.get(property);
        if (own != null) {
            return own;
        }
        return section("Globals").get("Function") instanceof Map<?, ?> g ? g.get(property) : null;
    }

    /** Environment variables as declared: Globals merged with the function's own. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> environment(String logicalId) {
        Map<String, Object> vars = new LinkedHashMap<>();
        Object globals = section("Globals").get("Function");
        if (globals instanceof Map<?, ?> g
                && g.get("Environment") instanceof Map<?, ?> e
                && e.get("Variables") instanceof Map<?, ?> v) {
            vars.putAll((Map<String, Object>) v);
        }
        Map<String, Object> props =
                (Map<String, Object>) resource(logicalId).orElseThrow().getOrDefault("Properties", Map.of());
        if (props.get("Environment") instanceof Map<?, ?> e && e.get("Variables") instanceof Map<?, ?> v) {
            vars.putAll((Map<String, Object>) v);
        }
        return vars;
    }
}
