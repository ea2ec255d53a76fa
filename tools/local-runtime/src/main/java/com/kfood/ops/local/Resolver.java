package com.kfood.ops.local;

import com.kfood.ops.emulator.Template;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the intrinsic functions that environment variables and policies use (Ref, Fn::Sub,
 * Fn::GetAtt, Fn::Select, Fn::Join, Fn::If with the template's conditions) as a deployed stack
 * would: parameters from samconfig's local section or their defaults, pseudo parameters, and the
 * names and ARNs of the template's own topics, queues, buckets, keys and roles. Anything else is an
 * error that says to set the variable with --env-vars.
 */
final class Resolver {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Template template;
    private final Map<String, String> parameters;
    private final Map<String, String> pseudo;

    Resolver(
            Template template,
            Map<String, String> parameterOverrides,
            String stackName,
            String region,
            String account) {
        this.template = template;
        this.parameters = new HashMap<>();
        template.section("Parameters").forEach((name, spec) -> {
            if (spec instanceof Map<?, ?> m && m.get("Default") != null) {
                parameters.put(name, String.valueOf(m.get("Default")));
            }
        });
        parameters.putAll(parameterOverrides);
        this.pseudo = Map.of(
                "AWS::StackName",
                stackName,
                "AWS::Region",
                region,
                "AWS::AccountId",
                account,
                "AWS::Partition",
                "aws",
                "AWS::URLSuffix",
                "amazonaws.com",
                "AWS::NoValue",
                "");
    }

    /** AWS::NoValue inside a resolved tree: the entry is left out, as CloudFormation does. */
    private static final Object NO_VALUE = new Object();

    /** A whole tree (a policy document): intrinsics resolved, Fn::If decided, AWS::NoValue entries dropped. */
    Object resolveTree(Object value, String where) {
        Object resolved = tree(value, where);
        return resolved == NO_VALUE ? null : resolved;
    }

    private Object tree(Object value, String where) {
        if (value instanceof Map<?, ?> m
                && m.size() == 1
                && isIntrinsic(String.valueOf(m.keySet().iterator().next()))) {
            Object arg = m.values().iterator().next();
            if (m.containsKey("Fn::If") && arg instanceof List<?> l && l.size() == 3) {
                return tree(condition(String.valueOf(l.get(0)), where) ? l.get(1) : l.get(2), where);
            }
            if (Map.of("Ref", "AWS::NoValue").equals(m)) {
                return NO_VALUE;
            }
            if (m.containsKey("Fn::Split")) { // a list in a policy (an aws:TagKeys list made of a parameter)
                return list(value, where);
            }
            return resolve(value, where);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                Object r = tree(v, where);
                if (r != NO_VALUE) {
                    out.put(String.valueOf(k), r);
                }
            });
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream()
                    .map(v -> tree(v, where))
                    .filter(v -> v != NO_VALUE)
                    .toList();
        }
        return value;
    }

    private static boolean isIntrinsic(String key) {
        return key.equals("Ref") || key.startsWith("Fn::");
    }

    /** A condition of the template's Conditions section, evaluated with the resolved parameters. */
    boolean condition(String name, String where) {
        Object spec = template.section("Conditions").get(name);
        if (spec == null) {
            throw new IllegalArgumentException(where + ": unknown condition " + name);
        }
        return truth(spec, where);
    }

    private boolean truth(Object spec, String where) {
        if (spec instanceof Map<?, ?> m && m.size() == 1) {
            Object arg = m.values().iterator().next();
            List<?> args = arg instanceof List<?> l ? l : List.of(arg);
            switch (String.valueOf(m.keySet().iterator().next())) {
                case "Fn::Equals" -> {
                    return resolve(args.get(0), where).equals(resolve(args.get(1), where));
                }
                case "Fn::Not" -> {
                    return !truth(args.get(0), where);
                }
                case "Fn::And" -> {
                    return args.stream().allMatch(a -> truth(a, where));
                }
                case "Fn::Or" -> {
                    return args.stream().anyMatch(a -> truth(a, where));
                }
                case "Condition" -> {
                    return condition(String.valueOf(arg), where);
                }
                default -> {}
            }
        }
        throw new IllegalArgumentException(where + ": cannot evaluate the condition " + spec);
    }

    String resolve(Object value, String where) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) { // JSON scalars (the transformed template)
            return String.valueOf(value);
        }
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            var entry = m.entrySet().iterator().next();
            String fn = String.valueOf(entry.getKey());
            Object arg = entry.getValue();
            switch (fn) {
                case "Ref" -> {
                    return ref(String.valueOf(arg), where);
                }
                case "Fn::Sub" -> {
                    if (arg instanceof String text) {
                        return sub(text, Map.of(), where);
                    }
                    if (arg instanceof List<?> l && l.size() == 2 && l.get(1) instanceof Map<?, ?> vars) {
                        Map<String, String> local = new HashMap<>();
                        vars.forEach((k, v) -> local.put(String.valueOf(k), resolve(v, where)));
                        return sub(String.valueOf(l.get(0)), local, where);
                    }
                }
                case "Fn::If" -> {
                    if (arg instanceof List<?> l && l.size() == 3) {
                        return resolve(condition(String.valueOf(l.get(0)), where) ? l.get(1) : l.get(2), where);
                    }
                }
                case "Fn::Select" -> {
                    if (arg instanceof List<?> l && l.size() == 2) {
                        List<String> items = list(l.get(1), where);
                        int index = Integer.parseInt(resolve(l.get(0), where));
                        if (index >= 0 && index < items.size()) {
                            return items.get(index);
                        }
                    }
                }
                case "Fn::Join" -> {
                    if (arg instanceof List<?> l && l.size() == 2) {
                        return String.join(resolve(l.get(0), where), list(l.get(1), where));
                    }
                }
                case "Fn::GetAtt" -> {
                    if (arg instanceof List<?> l && l.size() == 2) {
                        return getAtt(String.valueOf(l.get(0)), String.valueOf(l.get(1)), where);
                    }
                }
                default -> {}
            }
        }
        throw new IllegalArgumentException(where + ": cannot resolve " + value + " locally; set it with --env-vars");
    }

    /** A list value: a YAML list of values, or Fn::Split of a value. */
    private List<String> list(Object value, String where) {
        if (value instanceof List<?> l) {
            return l.stream().map(v -> resolve(v, where)).toList();
        }
        if (value instanceof Map<?, ?> m && m.containsKey("Ref")) { // a CommaDelimitedList parameter
            String text = resolve(value, where);
            return text.isEmpty() ? List.of() : List.of(text.split(",", -1));
        }
        if (value instanceof Map<?, ?> m && m.get("Fn::Split") instanceof List<?> split && split.size() == 2) {
            return List.of(resolve(split.get(1), where).split(Pattern.quote(String.valueOf(split.get(0))), -1));
        }
        throw new IllegalArgumentException(
                where + ": cannot resolve the list " + value + " locally; set it with --env-vars");
    }

    private String sub(String text, Map<String, String> local, String where) {
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = local.containsKey(name)
                    ? local.get(name)
                    : name.contains(".")
                            ? getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1), where)
                            : ref(name, where);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String ref(String name, String where) {
        if (pseudo.containsKey(name)) {
            return pseudo.get(name);
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        var resource = template.resource(name);
        if (resource.isPresent()) {
            String type = String.valueOf(resource.get().get("Type"));
            return switch (type) {
                case "AWS::SNS::Topic" -> arn("sns", property(name, "TopicName", where));
                case "AWS::SQS::Queue" ->
                    "http://sqs." + pseudo.get("AWS::Region") + ".localhost/" + pseudo.get("AWS::AccountId") + "/"
                            + property(name, "QueueName", where);
                case "AWS::S3::Bucket" -> property(name, "BucketName", where);
                case "AWS::KMS::Key" -> name;
                default ->
                    throw new IllegalArgumentException(
                            where + ": Ref to " + name + " (" + type + ") has no local value; set it with --env-vars");
            };
        }
        throw new IllegalArgumentException(where + ": Ref to unknown name " + name);
    }

    private String getAtt(String logicalId, String attribute, String where) {
        var resource = template.resource(logicalId)
                .orElseThrow(() -> new IllegalArgumentException(where + ": GetAtt of unknown resource " + logicalId));
        String type = String.valueOf(resource.get("Type"));
        return switch (type + "." + attribute) {
            case "AWS::SNS::Topic.TopicArn" -> ref(logicalId, where);
            case "AWS::SNS::Topic.TopicName" -> property(logicalId, "TopicName", where);
            case "AWS::SQS::Queue.Arn" -> arn("sqs", property(logicalId, "QueueName", where));
            case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + property(logicalId, "BucketName", where);
            case "AWS::KMS::Key.Arn" -> arn("kms", "key/" + logicalId);
            case "AWS::IAM::Role.Arn" -> "arn:aws:iam::" + pseudo.get("AWS::AccountId") + ":role/" + logicalId;
            default ->
                throw new IllegalArgumentException(where + ": GetAtt " + logicalId + "." + attribute
                        + " has no local value; set it with --env-vars");
        };
    }

    private String property(String logicalId, String property, String where) {
        Object props = template.resource(logicalId).orElseThrow().get("Properties");
        Object value = props instanceof Map<?, ?> m ? m.get(property) : null;
        if (value == null) {
            throw new IllegalArgumentException(
                    where + ": " + logicalId + " has no " + property + "; set the variable with --env-vars");
        }
        return resolve(value, where);
    }

    private String arn(String service, String name) {
        return "arn:aws:" + service + ":" + pseudo.get("AWS::Region") + ":" + pseudo.get("AWS::AccountId") + ":" + name;
    }
}
