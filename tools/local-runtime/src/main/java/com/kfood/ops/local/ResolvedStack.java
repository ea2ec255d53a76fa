package com.kfood.ops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.Template;
import com.kfood.ops.shared.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./ops invoke} needs from template.yaml and samconfig.toml, resolved once: each
 * function's handler, timeout, memory and environment. Parsing the YAML and TOML (and loading their
 * parsers' classes) was most of the local runtime's own work before a handler ran, so the result is
 * kept in {@code build/invoke/<config-env>.json} and used while both files are unchanged (same size
 * and modification time) and the account is the same; {@code ./ops build} writes it.
 */
record ResolvedStack(String stamp, String region, Map<String, Function> functions) {

    /** One function as the template and the parameters make it; {@code name} its FunctionName, as Lambda tells it. */
    record Function(String name, String handler, String timeout, String memory, Map<String, String> env) {}

    static Path cacheFile(Path root, String configEnv) {
        return root.resolve("build/invoke/" + configEnv + ".json");
    }

    /** The cached resolution if it is current, else a fresh one (written back for the next call). */
    static ResolvedStack load(Path root, String configEnv, String account) throws IOException {
        String stamp = stamp(root, configEnv, account);
        Path cache = cacheFile(root, configEnv);
        if (Files.isRegularFile(cache)) {
            JsonNode cached = Json.parseEmbedded(Files.readString(cache));
            if (cached != null && stamp.equals(cached.path("stamp").asText())) {
                return fromJson(cached);
            }
        }
        ResolvedStack fresh = resolve(
                Template.load(root.resolve("template.yaml")),
                SamConfig.load(root.resolve("samconfig.toml"), configEnv),
                account,
                stamp);
        write(fresh, cache);
        return fresh;
    }

    static ResolvedStack resolve(Template template, SamConfig config, String account, String stamp) {
        Resolver resolver =
                new Resolver(template, config.parameterOverrides(), config.stackName(), config.region(), account);
        Map<String, Function> functions = new LinkedHashMap<>();
        for (String id : template.functions()) {
            Object timeout = template.functionProperty(id, "Timeout");
            Object memory = template.functionProperty(id, "MemorySize");
            Object functionName = template.functionProperty(id, "FunctionName");
            Map<String, String> env = new LinkedHashMap<>();
            template.environment(id).forEach((name, value) -> env.put(name, resolver.resolve(value, id + "." + name)));
            functions.put(
                    id,
                    new Function(
                            functionName == null ? id : resolver.resolve(functionName, id + ".FunctionName"),
                            String.valueOf(template.functionProperty(id, "Handler")),
                            timeout == null ? "3" : resolver.resolve(timeout, id + ".Timeout"),
                            memory == null ? "128" : resolver.resolve(memory, id + ".MemorySize"),
                            env));
        }
        return new ResolvedStack(stamp, config.region(), functions);
    }

    List<String> functionIds() {
        return List.copyOf(functions.keySet());
    }

    /** Size and modification time of both files, the config environment and the account. */
    private static String stamp(Path root, String configEnv, String account) throws IOException {
        StringBuilder s = new StringBuilder(configEnv).append('|').append(account);
        for (String file : new String[] {"template.yaml", "samconfig.toml"}) {
            Path p = root.resolve(file);
            s.append('|')
                    .append(Files.size(p))
                    .append(':')
                    .append(Files.getLastModifiedTime(p).toMillis());
        }
        return s.toString();
    }

    private static void write(ResolvedStack stack, Path cache) {
        try {
            Files.createDirectories(cache.getParent());
            Path tmp = Files.createTempFile(cache.getParent(), "resolved", ".tmp");
            Files.writeString(tmp, Json.write(stack));
            // a concurrent invoke reads the old file or the new one, never half of one
            Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("ops: could not keep the resolved template in " + cache + ": " + e.getMessage());
        }
    }

    private static ResolvedStack fromJson(JsonNode node) {
        Map<String, Function> functions = new LinkedHashMap<>();
        node.path("functions").properties().forEach(f -> {
            Map<String, String> env = new LinkedHashMap<>();
            f.getValue()
                    .path("env")
                    .properties()
                    .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            JsonNode fn = f.getValue();
            functions.put(
                    f.getKey(),
                    new Function(
                            fn.path("name").asText(f.getKey()),
                            fn.path("handler").asText(),
                            fn.path("timeout").asText(),
                            fn.path("memory").asText(),
                            env));
        });
        return new ResolvedStack(
                node.path("stamp").asText(), node.path("region").asText(), functions);
    }
}
