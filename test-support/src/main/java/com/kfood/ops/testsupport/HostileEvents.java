package com.kfood.ops.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kfood.ops.emulator.Mapper;
import com.kfood.ops.shared.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Events as production may deliver them and worse: the fixtures, truncated fixtures, fixtures with a
 * field replaced by a hostile value (null, wrong type, 100,000 characters, control and bidi
 * characters, emoji, nested JSON in a string, deep nesting), other sources' events, random JSON and
 * not-JSON. The property tests of every handler draw from here.
 */
public final class HostileEvents {
    private static final List<String> ALL_FIXTURES = List.of(
            "events/snapshot/scheduler.json",
            "events/snapshot/classic-scheduled.json",
            "events/snapshot/manual-dry-run.json",
            "events/prune/scheduler.json",
            "events/alarm/sns-backend-5xx-alarm.json",
            "events/alarm/sns-backend-5xx-ok.json",
            "events/alarm/sns-metric-math-insufficient-data.json",
            "events/alarm/direct-db-connections-alarm.json",
            "events/alarm/direct-composite-alarm.json",
            "events/deploy/ecs-deployment-completed.json",
            "events/deploy/ecs-deployment-failed-rollback.json",
            "events/deploy/ecs-task-stopped-crash.json",
            "events/deploy/codedeploy-failure.json",
            "events/health/scheduler.json",
            "events/report/scheduler-daily.json",
            "events/report/monthly.json");

    private HostileEvents() {}

    /** Hostile variants of {@code own} fixtures, mixed with every other handler's events. */
    public static Arbitrary<String> around(String... own) {
        List<String> texts = new ArrayList<>();
        for (String f : own) {
            texts.add(fixture(f));
        }
        List<String> others = ALL_FIXTURES.stream().map(HostileEvents::fixture).toList();
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(texts)),
                Tuple.of(3, Arbitraries.longs().map(seed -> truncate(pick(texts, seed), seed))),
                Tuple.of(10, Arbitraries.longs().map(seed -> mutate(pick(texts, seed), new Random(seed)))),
                Tuple.of(2, Arbitraries.of(others)),
                Tuple.of(3, Arbitraries.longs().map(seed -> mutate(pick(others, seed), new Random(seed)))),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(200)),
                Tuple.of(2, Arbitraries.longs().map(seed -> Json.write(randomTree(new Random(seed), 0)))));
    }

    private static String fixture(String path) {
        return new String(Invocations.event(path), StandardCharsets.UTF_8);
    }

    private static String pick(List<String> texts, long seed) {
        return texts.get((int) Math.floorMod(seed, (long) texts.size()));
    }

    private static String truncate(String text, long seed) {
        return text.substring(0, (int) Math.floorMod(seed, (long) text.length()));
    }

    /** Replaces one to three nodes anywhere in the tree (embedded JSON strings included) with hostile values. */
    static String mutate(String text, Random random) {
        JsonNode root = Json.parseEmbedded(text);
        if (root == null) {
            return text;
        }
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            List<JsonNode> containers = new ArrayList<>();
            collect(root, containers);
            JsonNode target = containers.get(random.nextInt(containers.size()));
            JsonNode hostile = hostile(random);
            if (target instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                JsonNode current = o.get(name);
                if (current.isTextual() && Json.parseEmbedded(current.asText()) != null && random.nextBoolean()) {
                    o.put(name, mutate(current.asText(), random)); // the SNS Message: JSON inside a string
                } else {
                    o.set(name, hostile);
                }
            } else if (target instanceof ArrayNode a && a.size() > 0) {
                a.set(random.nextInt(a.size()), hostile);
            }
        }
        return Json.write(root);
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static JsonNode hostile(Random random) {
        var f = Mapper.get().getNodeFactory();
        return switch (random.nextInt(11)) {
            case 0 -> f.nullNode();
            case 1 -> f.numberNode(random.nextLong());
            case 2 -> f.booleanNode(random.nextBoolean());
            case 3 -> f.textNode("x".repeat(100_000));
            case 4 -> f.textNode("\u0000\u0007\r\n<!channel> *bold* \u202e\ud83d\ude00 한글 @here `rm -rf /`");
            case 5 -> f.textNode("{\"AlarmName\": {\"nested\": [1, 2, {\"deeper\": null}]}}");
            case 6 -> f.arrayNode().add(f.objectNode()).add(f.nullNode());
            case 7 -> f.objectNode();
            case 8 -> f.textNode("");
            case 9 -> {
                JsonNode deep = f.objectNode();
                for (int d = 0; d < 40; d++) {
                    ObjectNode wrap = f.objectNode();
                    wrap.set("d", deep);
                    deep = wrap;
                }
                yield deep;
            }
            default -> f.textNode("2026-13-45T99:99:99Z");
        };
    }

    private static JsonNode randomTree(Random random, int depth) {
        var f = Mapper.get().getNodeFactory();
        ObjectNode o = f.objectNode();
        for (int i = 0, n = random.nextInt(5); i < n; i++) {
            String key = List.of(
                            "source",
                            "detail-type",
                            "Records",
                            "detail",
                            "time",
                            "alarmData",
                            "dryRun",
                            "resources",
                            "x")
                    .get(random.nextInt(9));
            o.set(key, depth < 3 && random.nextBoolean() ? randomTree(random, depth + 1) : hostile(random));
        }
        return o;
    }
}
