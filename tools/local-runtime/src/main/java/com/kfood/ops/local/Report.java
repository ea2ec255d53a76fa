package com.kfood.ops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.Mapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** Prints a function's JSON result as indented lines, for people (the demo's report). */
final class Report {
    private Report() {}

    static int print(InputStream in, PrintStream out) throws IOException {
        JsonNode result = Mapper.get().readTree(in);
        if (result == null) {
            out.println("    (no result)");
            return 1;
        }
        render(result, "    ", out);
        return 0;
    }

    private static void render(JsonNode node, String indent, PrintStream out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                if (value.isNull() || (value.isContainerNode() && value.isEmpty())) {
                    continue;
                }
                if (value.isTextual() && value.asText().contains("\n")) {
                    // a text of several lines (a report's one-screen summary) keeps its lines
                    out.println(indent + field.getKey() + ":");
                    value.asText().lines().forEach(line -> out.println(indent + "  " + line));
                } else if (value.isValueNode()) {
                    out.println(indent + field.getKey() + ": " + value.asText());
                } else {
                    out.println(indent + field.getKey() + ":");
                    render(value, indent + "  ", out);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isValueNode()) {
                    out.println(indent + "- " + item.asText());
                } else {
                    out.println(indent + "-");
                    render(item, indent + "  ", out);
                }
            }
        } else {
            out.println(indent + node.asText());
        }
    }
}
