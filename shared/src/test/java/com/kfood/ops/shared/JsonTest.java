package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eventsMustBeJsonObjects() {
        assertThat(Json.readEvent(in("{\"a\":1}")).path("a").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> Json.readEvent(in("{\"a\":")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Json.readEvent(in("[1]")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("got array");
        assertThatThrownBy(() -> Json.readEvent(in(""))).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> Json.readEvent(in("null"))).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void deeplyNestedInputIsRejectedNotParsed() {
        String deep = "{\"a\":".repeat(1000) + "1" + "}".repeat(1000);
        assertThatThrownBy(() -> Json.readEvent(in(deep))).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void embeddedJsonIsNullUnlessAnObject() {
        assertThat(Json.parseEmbedded("{\"x\":true}")).isNotNull();
        assertThat(Json.parseEmbedded("{\"x\":")).isNull();
        assertThat(Json.parseEmbedded("\"text\"")).isNull();
    }

    private enum Outcome {
        CREATED
    }

    private record Inner(String name, Outcome outcome, Optional<String> note) {}

    private record Outer(
            int count,
            long bytes,
            double hours,
            boolean ok,
            String missing,
            List<Inner> items,
            Map<String, Integer> kept,
            Instant at) {}

    @Test
    void recordsListsMapsEnumsAndScalarsAreWrittenAsJackson() {
        Outer value = new Outer(
                3,
                5_000_000_000L,
                1.5,
                true,
                null,
                List.of(new Inner("a", Outcome.CREATED, Optional.empty())),
                new LinkedHashMap<>(Map.of("FLOOR", 7)),
                Instant.parse("2026-11-26T03:00:00Z"));

        assertThat(Json.write(value))
                .isEqualTo("{\"count\":3,\"bytes\":5000000000,\"hours\":1.5,\"ok\":true,\"missing\":null,"
                        + "\"items\":[{\"name\":\"a\",\"outcome\":\"CREATED\",\"note\":null}],\"kept\":{\"FLOOR\":7},"
                        + "\"at\":\"2026-11-26T03:00:00Z\"}");
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Part(String a, String b) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Whole(
            String x,
            @JsonUnwrapped Part part,
            String y,
            @JsonUnwrapped Part none) {}

    private record Plain(String x, Part part) {}

    @Test
    void nonNullAndUnwrappedAreHonouredAsJacksonDoes() {
        Whole whole = new Whole("1", new Part("2", null), null, null);
        String expected = "{\"x\":\"1\",\"a\":\"2\"}";
        assertThat(Json.write(whole)).isEqualTo(expected);
        assertThat(Json.write(new Plain(null, new Part(null, "3")))).isEqualTo("{\"x\":null,\"part\":{\"b\":\"3\"}}");
    }

    @Test
    void whatIsReadIsWrittenBackUnchanged() {
        String text =
                "{\"s\":\"\\u0000\\\"x\",\"i\":1,\"l\":9007199254740993,\"big\":123456789012345678901234567890,\"d\":-0.25,"
                        + "\"b\":false,\"n\":null,\"a\":[1,[],{}]}";

        assertThat(Json.write(Json.readEvent(in(text)))).isEqualTo(text);
        assertThat(Json.readEvent(in(text)).path("l").asLong()).isEqualTo(9_007_199_254_740_993L);
    }

    @Test
    void onlyTheFirstValueIsReadAndEmptyInputIsNoObject() {
        assertThat(Json.readEvent(in("{\"a\":1} trailing")).path("a").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> Json.readEvent(in("  ")))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("got missing");
    }
}
