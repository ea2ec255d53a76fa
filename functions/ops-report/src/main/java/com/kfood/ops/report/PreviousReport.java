package com.kfood.ops.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kfood.ops.shared.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The same kind's report before this one, as it was stored (its JSON in the reports bucket): what
 * "new since the previous report" is measured against. Read once, when a section first asks; a
 * report that is missing or unreadable is said as such, never taken as empty.
 */
final class PreviousReport {
    private final ReportReads reads;
    private final Optional<String> bucket;
    private final String key;
    private Optional<JsonNode> document;
    private String missing = "";

    PreviousReport(ReportReads reads, Optional<String> bucket, ReportPeriod period) {
        this.reads = reads;
        this.bucket = bucket;
        this.key = period.previousKey();
    }

    /** "the weekly report of 2026-11-23". */
    String name() {
        int slash = key.indexOf('/');
        return "the " + key.substring(0, slash) + " report of " + key.substring(slash + 1);
    }

    /** Why there is nothing to compare with (after {@link #items} came back empty). */
    String missing() {
        return missing;
    }

    /** The items of one of its sections, empty when the report or the section is not there. */
    synchronized Optional<List<Item>> items(String sectionKey) {
        if (document == null) {
            document = read();
        }
        return document.flatMap(doc -> {
            for (JsonNode section : doc.path("sections")) {
                if (sectionKey.equals(section.path("key").asText())) {
                    List<Item> items = new ArrayList<>();
                    for (JsonNode i : section.path("items")) {
                        items.add(new Item(
                                i.path("label").asText(),
                                i.path("value").asText(),
                                "",
                                Verdict.valueOf(i.path("verdict").asText("UNKNOWN")),
                                "",
                                i.path("numbers") instanceof ObjectNode n ? n : null));
                    }
                    return Optional.of(items);
                }
            }
            missing = name() + " has no " + sectionKey + " section";
            return Optional.empty();
        });
    }

    private Optional<JsonNode> read() {
        if (bucket.isEmpty()) {
            missing = "REPORTS_BUCKET is not set, so no earlier report is kept";
            return Optional.empty();
        }
        try {
            Optional<JsonNode> doc =
                    Optional.ofNullable(Json.parseEmbedded(reads.text(bucket.get(), "reports/" + key + ".json")));
            if (doc.isEmpty()) {
                missing = name() + " is not a JSON object";
            }
            return doc;
        } catch (NoSuchKeyException e) {
            missing = "no " + name().substring(4) + " in the reports bucket";
        } catch (RuntimeException e) {
            missing = name() + " is unreadable: " + Problems.describe(e);
        }
        return Optional.empty();
    }
}
