package com.kfood.ops.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.ConfigException;
import com.kfood.ops.shared.Env;
import com.kfood.ops.shared.Json;
import com.kfood.ops.shared.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The runbook rules: the defaults shipped in the function ({@code runbooks/default-rules.json}), or
 * the environment's own JSON in {@code RUNBOOK_RULES}. Checked when loaded: an unknown action, a
 * target field taken from a dimension without its allowed values, or {@code rds-reboot} without
 * {@code ALLOW_RDS_REBOOT=true} fails at init with the rule's name.
 */
public record RuleSet(List<Rule> rules) {
    private static final Map<Runbook, Set<String>> TARGET_FIELDS = Map.of(
            Runbook.ECS_FORCE_NEW_DEPLOYMENT, Set.of("cluster", "service"),
            Runbook.ECS_SCALE_OUT, Set.of("cluster", "service"),
            Runbook.RDS_DIAGNOSE, Set.of("dbInstance"),
            Runbook.RDS_REBOOT, Set.of("dbInstance"),
            Runbook.NOTIFY, Set.of());

    public Optional<Rule> match(AlarmChange alarm) {
        return rules.stream().filter(r -> r.matches(alarm)).findFirst();
    }

    /** The platform's names in the default rules, from the environment (the stack's parameters). */
    private static final Map<String, String> PLATFORM_NAMES = Map.of(
            "ECS_CLUSTER",
            "kfood-cluster",
            "BACKEND_SERVICE",
            "kfood-backend",
            "FRONTEND_SERVICE",
            "kfood-frontend",
            "PRIMARY_DB",
            "kfood-db");

    public static RuleSet defaults(Env env, boolean allowReboot) {
        String json;
        try (InputStream in = RuleSet.class.getResourceAsStream("/runbooks/default-rules.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the default runbook rules cannot be read", e);
        }
        for (var name : PLATFORM_NAMES.entrySet()) {
            String value = env.string(name.getKey(), name.getValue());
            if (!value.matches("[A-Za-z0-9_-]{1,255}")) {
                throw new ConfigException(
                        name.getKey() + " is not an ECS or RDS name: '" + Text.printable(value, 80) + "'");
            }
            json = json.replace("${" + name.getKey() + "}", value);
        }
        return parse(json, allowReboot);
    }

    public static RuleSet parse(String json, boolean allowReboot) {
        JsonNode root = Json.parseEmbedded(json);
        if (root == null) {
            throw new ConfigException("RUNBOOK_RULES is not a JSON object with \"rules\"");
        }
        return parse(root, allowReboot);
    }

    static RuleSet parse(JsonNode root, boolean allowReboot) {
        if (!root.path("rules").isArray()) {
            throw new ConfigException("runbook rules need a \"rules\" array");
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : root.path("rules")) {
            String name = r.path("name").asText("");
            if (name.isBlank()) {
                throw new ConfigException("a runbook rule has no name");
            }
            Runbook action = Runbook.of(r.path("action").asText(""));
            if (action == null) {
                throw new ConfigException(
                        "rule " + name + ": unknown action '" + r.path("action").asText("") + "'");
            }
            if (action == Runbook.RDS_REBOOT && !allowReboot) {
                throw new ConfigException(
                        "rule " + name + ": rds-reboot is opt-in; set ALLOW_RDS_REBOOT=true to allow it");
            }
            JsonNode match = r.path("match");
            String glob = Json.text(match, "alarmName");
            Rule rule = new Rule(
                    name,
                    r.path("description").asText(""),
                    glob == null ? null : Pattern.compile(globToRegex(glob)),
                    Json.text(match, "namespace"),
                    Json.text(match, "metricName"),
                    strings(match.path("dimensions")),
                    action,
                    strings(r.path("target")),
                    lists(r.path("allowed")),
                    strings(r.path("params")));
            check(rule);
            rules.add(rule);
        }
        return new RuleSet(List.copyOf(rules));
    }

    private static void check(Rule rule) {
        if (rule.alarmName() == null && rule.namespace() == null && rule.metricName() == null) {
            throw new ConfigException(
                    "rule " + rule.name() + ": match needs an alarmName, a namespace or a metricName");
        }
        Set<String> fields = TARGET_FIELDS.get(rule.action());
        if (!rule.target().keySet().equals(fields)) {
            throw new ConfigException("rule " + rule.name() + ": " + rule.action().id + " needs target " + fields
                    + ", got " + rule.target().keySet());
        }
        if (rule.action() == Runbook.ECS_SCALE_OUT) {
            // read during an incident: a bad value found then would throw with nobody told
            whole(rule, "step", 1, 20);
            whole(rule, "max", 1, 1000);
        }
        rule.target().forEach((field, value) -> {
            if (value.startsWith(Rule.FROM_DIMENSION)
                    && rule.allowed().getOrDefault(field, List.of()).isEmpty()) {
                throw new ConfigException("rule " + rule.name() + ": target " + field
                        + " comes from a dimension, so it needs allowed values");
            }
        });
    }

    private static void whole(Rule rule, String param, int min, int max) {
        String value = rule.params().get(param);
        if (value == null) {
            return;
        }
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            n = Integer.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw new ConfigException("rule " + rule.name() + ": params." + param + " must be a whole number from "
                    + min + " to " + max + ", got '" + Text.printable(value, 20) + "'");
        }
    }

    static String globToRegex(String glob) {
        StringBuilder out = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!out.isEmpty()) {
                out.append(".*");
            }
            out.append(Pattern.quote(part));
        }
        return out.toString();
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return Map.copyOf(out);
    }

    private static Map<String, List<String>> lists(JsonNode node) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            e.getValue().forEach(v -> values.add(v.asText()));
            out.put(e.getKey(), List.copyOf(values));
        });
        return Map.copyOf(out);
    }
}
