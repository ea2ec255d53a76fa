package com.kfood.ops.report;

import com.kfood.ops.shared.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Properties;

/**
 * The full report as one self-contained HTML page: the checklist tables rendered here, the charts
 * drawn in the page by Chart.js (inlined, so the page needs no network) from the report's JSON,
 * which the page carries. Every text taken from a source is escaped.
 */
final class ReportHtml {
    private static final String CHART_JS = chartJs();

    private ReportHtml() {}

    static String render(Report report) {
        StringBuilder h = new StringBuilder(CHART_JS.length() + 32_000);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(CSP)
                .append("\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>")
                .append(escape(report.title() + " " + report.window()))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n");
        h.append("<header><h1>")
                .append(escape(report.title()))
                .append(" ")
                .append(badge(report.verdict()))
                .append("</h1><p>")
                .append(escape(report.window()))
                .append(" &middot; generated ")
                .append(escape(report.generatedAt().toString()))
                .append("</p></header>\n");
        h.append("<section id=\"summary\"><h2>Summary</h2><table><tr><th>Section</th><th>Status</th></tr>");
        for (Section s : report.sections()) {
            h.append("<tr><td><a href=\"#")
                    .append(s.key())
                    .append("\">")
                    .append(escape(s.title()))
                    .append("</a></td><td>")
                    .append(badge(s.verdict()))
                    .append("</td></tr>");
        }
        h.append("</table>");
        var actions = report.actions(3);
        h.append(actions.isEmpty() ? "<p>Nothing needs a person.</p>" : "<h3>Needs a person</h3><ol>");
        for (String a : actions) {
            h.append("<li>").append(escape(a)).append("</li>");
        }
        h.append(actions.isEmpty() ? "" : "</ol>").append("</section>\n");
        for (Section s : report.sections()) {
            section(h, s);
        }
        // the JSON closes no script and opens no markup: <, > and & are written as JSON's own
        // escapes (they stand only inside its strings), which it reads the same
        h.append("<script type=\"application/json\" id=\"report-data\">")
                .append(scriptSafe(Json.write(ReportDocument.of(report))))
                .append("</script>\n<script>")
                .append(CHART_JS)
                .append("</script>\n<script>")
                .append(DRAW)
                .append("</script>\n</body></html>\n");
        return h.toString();
    }

    /** One section of the page: its items with their verdicts, then its charts' canvases. */
    private static void section(StringBuilder h, Section s) {
        h.append("<section id=\"")
                .append(s.key())
                .append("\"><h2>")
                .append(escape(s.title()))
                .append(" ")
                .append(badge(s.verdict()))
                .append("</h2>");
        if (s.unavailable() != null) {
            h.append("<p class=\"na\">not available: ")
                    .append(escape(s.unavailable()))
                    .append("</p></section>\n");
            return;
        }
        h.append("<table><tr><th>Item</th><th>Value</th><th>Against the previous period</th><th>Status</th></tr>");
        for (Item i : s.items()) {
            h.append("<tr><td>")
                    .append(escape(i.label()))
                    .append(i.note().isEmpty() ? "" : "<div class=\"note\">" + escape(i.note()) + "</div>")
                    .append("</td><td>")
                    .append(escape(i.value()))
                    .append("</td><td>")
                    .append(escape(i.trend()))
                    .append("</td><td>")
                    .append(badge(i.verdict()))
                    .append("</td></tr>");
        }
        h.append("</table>");
        for (Chart c : s.charts()) {
            h.append("<figure><figcaption>")
                    .append(escape(c.title() + " (" + c.unit() + ")"))
                    .append("</figcaption><div class=\"chart\"><canvas id=\"chart-")
                    .append(c.id())
                    .append("\" data-chart=\"")
                    .append(c.id())
                    .append("\"></canvas></div></figure>");
        }
        h.append("</section>\n");
    }

    /** JSON that no HTML parser reads as markup: {@code <}, {@code >} and {@code &} as JSON's backslash-u escapes. */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /**
     * The page runs its own two scripts and its own style, by their hashes, and nothing else: no
     * other script, style, frame, form target or network request (the page is self-contained).
     */
    private static String csp() {
        return "default-src 'none'; script-src " + sha256(CHART_JS) + " " + sha256(DRAW) + "; style-src "
                + sha256(STYLE) + "; img-src data:; base-uri 'none'; form-action 'none'";
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String badge(Verdict v) {
        String label = v == Verdict.UNKNOWN ? "N/A" : v.name();
        return "<span class=\"verdict " + v.name().toLowerCase(Locale.ROOT) + "\">" + label + "</span>";
    }

    private static String chartJs() {
        try (InputStream props = ReportHtml.class.getResourceAsStream("/kfood-ops-report.properties")) {
            Properties p = new Properties();
            p.load(props);
            try (InputStream js = ReportHtml.class.getClassLoader().getResourceAsStream(p.getProperty("chartjs"))) {
                if (js == null) {
                    throw new IllegalStateException(
                            "Chart.js is missing from the artifact: " + p.getProperty("chartjs"));
                }
                return new String(js.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String STYLE =
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;"
                    + "max-width:1100px;color:#1d2330;padding:0 1rem}h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #dde}"
                    + "table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{text-align:left;padding:.35rem .5rem;"
                    + "border-bottom:1px solid #eef;vertical-align:top;font-size:.92rem}th{color:#556}.note{color:#667;font-size:.8rem}"
                    + ".verdict{display:inline-block;padding:.05rem .45rem;border-radius:.3rem;font-size:.8rem;font-weight:600}"
                    + ".ok{background:#dff3e4;color:#1e6b34}.watch{background:#fff1cc;color:#7a5600}.act{background:#fde0dc;"
                    + "color:#9b1c12}.unknown{background:#e9ebf0;color:#556}.na{color:#667}figure{margin:1rem 0}"
                    + ".chart{position:relative;height:260px}figcaption{font-weight:600;margin-bottom:.3rem}";

    /** Draws every chart from the page's own data; sets data-charts-drawn on the body for tests and screenshots. */
    private static final String DRAW =
            "(function(){var d=JSON.parse(document.getElementById('report-data').textContent);"
                    + "var colors=['#2f6fde','#d9480f','#2b8a3e','#ae3ec9','#e8590c','#1098ad'];var n=0;"
                    + "d.sections.forEach(function(s){(s.charts||[]).forEach(function(c){var el=document.getElementById('chart-'+c.id);"
                    + "if(!el){return;}new Chart(el,{type:'line',data:{labels:c.labels,datasets:c.lines.map(function(l,i){"
                    + "return{label:l.name,data:l.values,borderColor:colors[i%colors.length],backgroundColor:colors[i%colors.length],"
                    + "spanGaps:false,pointRadius:c.labels.length>40?0:2,borderWidth:2};})},options:{animation:false,"
                    + "maintainAspectRatio:false,scales:{y:{title:{display:true,text:c.unit}}},plugins:{legend:{position:'bottom'}}}});"
                    + "n++;});});document.body.setAttribute('data-charts-drawn',String(n));})();";

    /** After the scripts and the style it hashes (static fields initialise in order). */
    private static final String CSP = csp();
}
