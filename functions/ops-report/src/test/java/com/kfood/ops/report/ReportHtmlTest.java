package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kfood.ops.shared.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full report page: checked with an HTML parser always (every chart has data and is drawn from
 * the page's own numbers, every number in a value has its unit, hostile text stays text), and
 * rendered by a headless Chromium when one is installed (every chart drawn, no script error).
 */
class ReportHtmlTest {
    /** A number in a value, and what may follow it: a unit, or words that say what it counts. */
    private static final Pattern NUMBER_WITHOUT_UNIT = Pattern.compile(
            "(?<![\\w.#$])\\d[\\d,]*(\\.\\d+)?(?!\\d|[.,]\\d| ?(%|ms|min|GiB|h\\b|days|pt|x,|things|times|responses|of|"
                    + "lines|running|started|succeeded|failed|rolled|executed|suppressed|fired|copy|in\\b|\\(|\\)|minor|critical|high|"
                    + "medium|low|informational|:|[-+]))");

    static Report sample() {
        List<String> labels = List.of("2026-11-01", "2026-11-02", "2026-11-03");
        Section availability = new Section.Builder("availability", "Availability / SLA")
                .item(new Item(
                                "overall",
                                "99.931 % (30.0 min down, 0.0 min not measured)",
                                "-0.050 pt vs 99.981 %",
                                Verdict.WATCH,
                                "",
                                null)
                        .number("availabilityPercent", 99.931))
                .chart(new Chart(
                        "availability",
                        "Availability per check",
                        "%",
                        labels,
                        List.of(new Chart.Line("http-1", Arrays.asList(100.0, null, 97.9)))))
                .build();
        Section errors = new Section.Builder("errors", "Errors")
                .item(new Item(
                        "ERROR lines in 2 log group(s)", "77 lines", "+133.3 % vs 33 lines", Verdict.ACT, "", null))
                .item(new Item(
                        "#1 <script>alert('x')</script> ERROR GET /api/videos/# #",
                        "40 times",
                        "",
                        Verdict.OK,
                        "",
                        null))
                .action("ERROR lines rose to 77 </script><script>alert(1)</script>")
                .build();
        Section latency = new Section.Builder("api", "API response time")
                .item(new Item("latency p50 / p95 / p99", "100 ms / 350 ms / 600 ms", "", Verdict.OK, "", null))
                .chart(new Chart(
                        "latency",
                        "API latency p95",
                        "ms",
                        labels,
                        List.of(new Chart.Line("p95", List.of(350.0, 1050.0, 350.0)))))
                .build();
        return new Report(
                ReportKind.MONTHLY,
                "2026-11-01 to 2026-11-30 (Asia/Seoul)",
                Instant.parse("2026-10-31T15:00:00Z"),
                Instant.parse("2026-11-30T15:00:00Z"),
                Instant.parse("2026-12-01T00:00:03Z"),
                List.of(availability, latency, errors, Section.unavailable("cost", "Cost", "COST_EXPLORER is false")),
                Map.of("GetMetricData", 3));
    }

    @Test
    void everyChartHasDataFromThePagesOwnNumbersAndEveryNumberHasAUnit() {
        Report report = sample();
        Document page = Jsoup.parse(ReportHtml.render(report));

        JsonNode data = Json.parseEmbedded(page.getElementById("report-data").data());
        assertThat(page.select("canvas[data-chart]")).hasSize(2).allSatisfy(canvas -> {
            JsonNode chart = chart(data, canvas.attr("data-chart"));
            assertThat(chart.path("lines").get(0).path("values")).anyMatch(JsonNode::isNumber);
            assertThat(chart.path("labels")).hasSize(3);
        });
        // the text and the chart state the same numbers
        assertThat(chart(data, "latency").at("/lines/0/values/1").asDouble()).isEqualTo(1050.0);
        for (Element row : page.select("section:not(#summary) tr:has(td)")) {
            String value = row.select("td").get(1).text();
            assertThat(NUMBER_WITHOUT_UNIT.matcher(value).find())
                    .as("a number without its unit in '%s'", value)
                    .isFalse();
        }
        assertThat(page.select("#cost .na").text()).isEqualTo("not available: COST_EXPLORER is false");
    }

    @Test
    void textFromSourcesStaysText() throws Exception {
        String html = ReportHtml.render(sample());
        Document page = Jsoup.parse(html);

        // the only scripts are the page's own three: data, Chart.js, the drawing
        assertThat(page.select("script")).hasSize(3);
        assertThat(page.select("#errors td").text()).contains("<script>alert('x')</script>");
        assertThat(html).doesNotContain("</script><script>alert(1)");
        // the page's JSON holds no markup character at all: backslash-u escapes, which JSON reads the same
        assertThat(page.getElementById("report-data").data()).doesNotContain("<", ">", "&");
        // and only the page's own scripts and style run: by their hashes, nothing else (CSP)
        String csp = page.select("meta[http-equiv=Content-Security-Policy]").attr("content");
        assertThat(csp).startsWith("default-src 'none'; script-src 'sha256-").contains("style-src 'sha256-");
        assertThat(csp).doesNotContain("unsafe");
        for (var script : page.select("script:not([type=application/json])")) {
            assertThat(csp).contains(sha256(script.data()));
        }
        assertThat(csp).contains(sha256(page.select("style").first().data()));
        assertThat(Json.parseEmbedded(page.getElementById("report-data").data())
                        .at("/actions/0")
                        .asText())
                .isEqualTo("ERROR lines rose to 77 </script><script>alert(1)</script>");
    }

    @Test
    void aHeadlessBrowserDrawsEveryChart(@TempDir Path dir) throws Exception {
        String browser = browser();
        Assumptions.assumeTrue(browser != null, "no headless Chromium installed: the parser checks above stand alone");
        Path file = dir.resolve("report.html");
        Files.writeString(file, ReportHtml.render(sample()), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(
                        browser,
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--virtual-time-budget=5000",
                        "--dump-dom",
                        file.toUri().toString())
                .redirectError(dir.resolve("browser.log").toFile())
                .start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Document drawn = Jsoup.parse(dom);
        assertThat(drawn.body().attr("data-charts-drawn")).isEqualTo("2");
    }

    private static String sha256(String text) throws Exception {
        return "'sha256-"
                + java.util.Base64.getEncoder()
                        .encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)))
                + "'";
    }

    /** The first headless-capable Chromium on the PATH, or null. */
    static String browser() throws IOException {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    private static JsonNode chart(JsonNode data, String id) {
        for (JsonNode section : data.path("sections")) {
            for (JsonNode chart : section.path("charts")) {
                if (chart.path("id").asText().equals(id)) {
                    return chart;
                }
            }
        }
        throw new AssertionError("no chart " + id + " in the page's data");
    }
}
