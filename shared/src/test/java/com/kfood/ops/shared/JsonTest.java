package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eventsMustBeJsonObjects() {
        assertThat(Json.readEvent(in("{\"a\":1}")).path("a").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> Json.readEvent(in("{\"a\":"))).isInstanceOf(InvalidEventException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> Json.readEvent(in("[1]"))).isInstanceOf(InvalidEventException.class).hasMessageContaining("got array");
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
}
