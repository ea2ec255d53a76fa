package com.kfood.ops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of samconfig.toml that sam local invoke reads for one config environment. */
record SamConfig(String stackName, String region, Map<String, String> parameterOverrides) {
    private static final Pattern OVERRIDE = Pattern.compile("([A-Za-z0-9]+)=(\"[^\"]*\"|'[^']*'|\\S*)");

    static SamConfig load(Path file, String environment) throws IOException {
        JsonNode root = new TomlMapper().readTree(Files.readString(file));
        JsonNode env = root.path(environment);
        if (env.isMissingNode()) {
            throw new IOException(file + " has no [" + environment + ".*] section");
        }
        String stack = first(env, "stack_name", "kfood-ops");
        String region = first(env, "region", "ap-northeast-2");
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String command : new String[] {"global", "deploy", "local_invoke"}) {
            JsonNode value = env.path(command).path("parameters").path("parameter_overrides");
            if (value.isArray()) {
                value.forEach(v -> parse(v.asText(), overrides));
            } else if (value.isTextual()) {
                parse(value.asText(), overrides);
            }
        }
        return new SamConfig(stack, region, overrides);
    }

    private static String first(JsonNode env, String key, String fallback) {
        for (String command : new String[] {"local_invoke", "deploy", "global"}) {
            JsonNode value = env.path(command).path("parameters").path(key);
            if (value.isTextual()) {
                return value.asText();
            }
        }
        return fallback;
    }

    static void parse(String text, Map<String, String> into) {
        Matcher m = OVERRIDE.matcher(text);
        while (m.find()) {
            String value = m.group(2);
            if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            into.put(m.group(1), value);
        }
    }
}
