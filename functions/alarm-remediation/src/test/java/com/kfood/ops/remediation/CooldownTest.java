package com.kfood.ops.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CooldownTest {
    private final Cooldown cooldown = new Cooldown(Duration.ofMinutes(15), 3);
    private final Instant now = Instant.parse("2026-11-26T03:00:00Z");

    @Test
    void historyRoundTripsThroughATagValueAndKeepsTheLastEight() {
        Cooldown.History h = new Cooldown.History(List.of());
        for (int i = 0; i < 12; i++) {
            h = h.plus(new Cooldown.Entry(now.plusSeconds(i * 60L), Cooldown.hash("t" + i)));
        }
        String tag = h.encode();
        assertThat(tag.length()).isLessThanOrEqualTo(256);
        assertThat(tag).matches("[0-9a-f: ]+");
        Cooldown.History back = Cooldown.History.decode(tag);
        assertThat(back.entries()).hasSize(8);
        assertThat(back.handled(Cooldown.hash("t11"))).isTrue();
        assertThat(back.handled(Cooldown.hash("t0"))).isFalse();
    }

    @Test
    void anEditedTagIsReadLeniently() {
        assertThat(Cooldown.History.decode("garbage 12:x :y 1764126000:abc").entries())
                .hasSize(2);
        assertThat(Cooldown.History.decode(null).entries()).isEmpty();
    }

    @Test
    void cooldownThenCap() {
        Cooldown.History h = new Cooldown.History(List.of(new Cooldown.Entry(now.minus(Duration.ofMinutes(5)), "a")));
        assertThat(cooldown.refusal(h, now)).startsWith("cooldown: the last remediation of this target was 5 min ago");
        assertThat(cooldown.refusal(h, now.plus(Duration.ofMinutes(11)))).isNull();
        Cooldown.History three = new Cooldown.History(List.of(
                new Cooldown.Entry(now.minus(Duration.ofMinutes(50)), "a"),
                new Cooldown.Entry(now.minus(Duration.ofMinutes(34)), "b"),
                new Cooldown.Entry(now.minus(Duration.ofMinutes(18)), "c")));
        assertThat(cooldown.refusal(three, now)).startsWith("cap: 3 remediations of this target in the last hour");
        assertThat(cooldown.refusal(three, now.plus(Duration.ofMinutes(11)))).isNull();
    }

    @Test
    void transitionHashIsStableAndShort() {
        assertThat(Cooldown.hash("arn|2026|ALARM"))
                .isEqualTo(Cooldown.hash("arn|2026|ALARM"))
                .hasSize(12);
        assertThat(Cooldown.hash("arn|2026|ALARM")).isNotEqualTo(Cooldown.hash("arn|2027|ALARM"));
    }
}
