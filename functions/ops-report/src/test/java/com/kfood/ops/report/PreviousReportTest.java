package com.kfood.ops.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kfood.ops.shared.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The report before this one is read from where it was stored, and its absence is said. */
class PreviousReportTest {
    static final Instant RUN = Instant.parse("2026-12-01T00:00:00Z");

    /** A previous report of {@code kind} holding these sections' items, as the bucket would return it. */
    static PreviousReport previous(ReportKind kind, Map<String, List<Item>> sections) {
        ReportPeriod period = ReportPeriod.of(kind, RUN, ZoneId.of("Asia/Seoul"));
        ObjectNode doc = Json.object();
        ArrayNode list = doc.putArray("sections");
        sections.forEach((key, items) -> {
            ObjectNode s = list.addObject();
            s.put("key", key);
            s.set("items", Json.tree(items));
        });
        String expected = "reports/" + period.previousKey() + ".json";
        ReportReads reads = new StubReads() {
            @Override
            public String text(String bucket, String key) {
                assertThat(key).isEqualTo(expected);
                return Json.write(doc);
            }
        };
        return new PreviousReport(reads, Optional.of("reports-bucket"), period);
    }

    @Test
    void theWeeklyReportBeforeIsNamedByItsFirstDay() {
        ReportPeriod week =
                ReportPeriod.of(ReportKind.WEEKLY, Instant.parse("2026-12-07T00:30:00Z"), ZoneId.of("Asia/Seoul"));
        assertThat(week.key()).isEqualTo("weekly/2026-11-30");
        assertThat(week.previousKey()).isEqualTo("weekly/2026-11-23");
        PreviousReport previous = new PreviousReport(new StubReads() {}, Optional.of("b"), week);
        assertThat(previous.name()).isEqualTo("the weekly report of 2026-11-23");
    }

    @Test
    void aMissingReportIsSaidNotTakenAsEmpty() {
        ReportReads none = new StubReads() {
            @Override
            public String text(String bucket, String key) {
                throw NoSuchKeyException.builder().message("no").build();
            }
        };
        ReportPeriod month = ReportPeriod.of(ReportKind.MONTHLY, RUN, ZoneId.of("Asia/Seoul"));

        PreviousReport previous = new PreviousReport(none, Optional.of("b"), month);

        assertThat(previous.items("maintenance")).isEmpty();
        assertThat(previous.missing()).isEqualTo("no monthly report of 2026-10-01 in the reports bucket");
        assertThat(new PreviousReport(none, Optional.empty(), month).items("maintenance"))
                .isEmpty();
    }

    @Test
    void itsItemsComeBackWithTheirFigures() {
        Item item = Item.of("Security Hub failing controls", "2", Verdict.WATCH).number("controls", "EC2.19,S3.8");

        PreviousReport previous = previous(ReportKind.WEEKLY, Map.of("maintenance", List.of(item)));

        assertThat(previous.items("maintenance").orElseThrow())
                .singleElement()
                .satisfies(i -> assertThat(i.numbers().get("controls").asText()).isEqualTo("EC2.19,S3.8"));
        assertThat(previous.items("errors")).isEmpty();
        assertThat(previous.missing()).contains("has no errors section");
    }
}
