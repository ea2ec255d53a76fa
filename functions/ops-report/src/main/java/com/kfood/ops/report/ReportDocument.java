package com.kfood.ops.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kfood.ops.shared.Json;

/** The report as JSON, for tools and for the page's charts: the same record the text is rendered from. */
final class ReportDocument {
    private ReportDocument() {}

    static ObjectNode of(Report report) {
        ObjectNode doc = Json.object();
        doc.put("report", report.kind().label());
        doc.put("title", report.title());
        doc.put("window", report.window());
        doc.put("start", report.start().toString());
        doc.put("end", report.end().toString());
        doc.put("generatedAt", report.generatedAt().toString());
        doc.put("verdict", report.verdict().name());
        ArrayNode actions = doc.putArray("actions");
        report.actions(3).forEach(actions::add);
        doc.set("apiCalls", Json.tree(report.apiCalls()));
        ArrayNode sections = doc.putArray("sections");
        for (Section s : report.sections()) {
            ObjectNode node = (ObjectNode) Json.tree(s);
            node.put("verdict", s.verdict().name());
            sections.add(node);
        }
        return doc;
    }
}
