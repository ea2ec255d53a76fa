package com.kfood.ops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.emulator.DemoPlatform;
import com.kfood.ops.emulator.EmulatorFacts;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.emulator.Template;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The evaluator's side of {@code ./ops iam-check}: what AWS would judge each captured request
 * against (each function role's policies, the permissions boundary, the bucket, topic, queue and
 * key policies, the keys that encrypt a destination), written as one input for
 * {@code tools/iam-eval/evaluate.mjs}, which runs AWS's IAM logic (iam-simulate) over every
 * request; its verdicts are read back here.
 */
final class IamEvaluation {
    /** One function's event: the requests its run captured. */
    record Run(String function, String event, Path capture) {}

    /** A function's verdict under one resolution: requests, evaluations, denials. */
    record Verdict(String resolution, String function, int requests, int evaluations, List<String> denials) {}

    /** The policies as one stack resolves them: its roles', its resource policies, the boundary. */
    record Resolution(String name, Template cfn, Resolver resolver, String stackName, Map<String, Object> boundary) {}

    private IamEvaluation() {}

    /** Every captured request of every run judged under each resolution. */
    static List<Verdict> judge(
            Path root,
            Path work,
            List<Resolution> resolutions,
            List<Run> runs,
            Path tagsLog,
            EmulatorFacts facts,
            Instant now)
            throws IOException, InterruptedException {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("account", DemoPlatform.ACCOUNT);
        input.put("now", now.toString());
        input.put("tagsLog", tagsLog.toString());
        input.put("secrets", facts.secrets());
        input.put("rdsEngine", facts.rdsEngine());
        List<Map<String, Object>> runList = new ArrayList<>();
        for (Run run : runs) {
            runList.add(Map.of(
                    "function",
                    run.function(),
                    "event",
                    run.event(),
                    "capture",
                    run.capture().toString()));
        }
        input.put("runs", runList);
        List<Map<String, Object>> resolved = new ArrayList<>();
        for (Resolution r : resolutions) {
            resolved.add(resolution(r, runs));
        }
        input.put("resolutions", resolved);
        Path file = Files.createTempFile(work, "iam-eval", ".json");
        Files.writeString(file, Mapper.get().writeValueAsString(input), StandardCharsets.UTF_8);
        JsonNode out = Mapper.get().readTree(node(root, file, work));
        List<Verdict> verdicts = new ArrayList<>();
        for (JsonNode res : out.path("resolutions")) {
            res.path("functions").properties().forEach(f -> {
                List<String> denials = new ArrayList<>();
                f.getValue().path("denials").forEach(d -> denials.add(d.asText()));
                verdicts.add(new Verdict(
                        res.path("name").asText(),
                        f.getKey(),
                        f.getValue().path("requests").asInt(),
                        f.getValue().path("evaluations").asInt(),
                        denials));
            });
        }
        return verdicts;
    }

    /** The evaluator, with the pinned packages {@code npm ci} installs from the committed lock file. */
    private static String node(Path root, Path input, Path work) throws IOException, InterruptedException {
        Path dir = root.resolve("tools/iam-eval");
        if (!Files.isDirectory(dir.resolve("node_modules/@cloud-copilot/iam-simulate"))) {
            throw new IOException("tools/iam-eval has no node_modules: ./ops iam-check runs npm ci there first");
        }
        Path err = work.resolve("iam-eval.err");
        Process p = new ProcessBuilder("node", dir.resolve("evaluate.mjs").toString(), input.toString())
                .directory(dir.toFile())
                .redirectError(err.toFile())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(
                    "the IAM evaluator failed: " + Files.readString(err).strip());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolution(Resolution r, List<Run> runs) {
        Map<String, Object> functions = new LinkedHashMap<>();
        for (String id : runs.stream().map(Run::function).distinct().toList()) {
            String roleId = roleOf(r.cfn(), id);
            String role = "arn:aws:iam::" + DemoPlatform.ACCOUNT + ":role/" + r.stackName() + "-" + roleId;
            List<Map<String, Object>> policies = new ArrayList<>();
            List<String> docs = LeastPrivilegeCheck.policies(r.cfn(), r.resolver(), id, UnaryOperator.identity());
            for (int i = 0; i < docs.size(); i++) {
                policies.add(Map.of("name", roleId + "-policy-" + i, "policy", readMap(docs.get(i))));
            }
            functions.put(
                    id,
                    Map.of(
                            "role",
                            role,
                            "session",
                            "arn:aws:sts::" + DemoPlatform.ACCOUNT + ":assumed-role/" + r.stackName() + "-" + roleId
                                    + "/" + id,
                            "policies",
                            policies));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", r.name());
        out.put("functions", functions);
        if (r.boundary() != null) {
            out.put("boundary", Map.of("name", "the bootstrap's PermissionsBoundary", "policy", r.boundary()));
        }
        out.put("resourcePolicies", ResourcePolicies.of(r.cfn(), r.resolver()));
        out.put("encryption", ResourcePolicies.encryption(r.cfn(), r.resolver()));
        return out;
    }

    /** The logical id of the role a function runs as (SAM names it FunctionRole unless the template gives one). */
    @SuppressWarnings("unchecked")
    static String roleOf(Template cfn, String function) {
        Object role =
                ((Map<String, Object>) cfn.resource(function).orElseThrow().get("Properties")).get("Role");
        if (role instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> att) {
            return String.valueOf(att.get(0));
        }
        throw new IllegalArgumentException(function + ": its role is not a resource of the template (" + role + ")");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readMap(String json) {
        try {
            return Mapper.get().readValue(json, Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }
}
