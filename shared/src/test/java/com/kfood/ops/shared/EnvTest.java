package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EnvTest {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");

    @Test
    void readsValuesTrimmedAndFallsBackWhenBlank() {
        Env env = Env.of(Map.of("A", "  x ", "B", "  "));
        assertThat(env.optional("A")).contains("x");
        assertThat(env.optional("B")).isEmpty();
        assertThat(env.string("B", "d")).isEqualTo("d");
    }

    @Test
    void missingRequiredValueNamesTheVariable() {
        assertThatThrownBy(() -> Env.of(Map.of()).required("NOTIFY_TOPIC_ARN"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("NOTIFY_TOPIC_ARN is required but not set");
    }

    @Test
    void integersAreCheckedForShapeAndRange() {
        Env env = Env.of(Map.of("RETENTION_DAYS", "0", "BAD", "thirty", "OK", "30"));
        assertThat(env.integer("OK", 1, 1, 100)).isEqualTo(30);
        assertThat(env.integer("UNSET", 7, 1, 100)).isEqualTo(7);
        assertThatThrownBy(() -> env.integer("RETENTION_DAYS", 30, 1, 3650))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("between 1 and 3650, got 0");
        assertThatThrownBy(() -> env.integer("BAD", 30, 1, 3650))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("whole number");
    }

    @Test
    void booleansAcceptOnlyClearWords() {
        Env env = Env.of(Map.of("T", "TRUE", "F", "no", "X", "maybe"));
        assertThat(env.bool("T", false)).isTrue();
        assertThat(env.bool("F", true)).isFalse();
        assertThat(env.bool("UNSET", true)).isTrue();
        assertThatThrownBy(() -> env.bool("X", false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("true or false");
    }

    @Test
    void listsDropBlanksAndDuplicatesAndRejectBadElements() {
        assertThat(Env.of(Map.of("L", "a, b,,a ,c")).list("L", ID, "id")).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> Env.of(Map.of("L", "a,B_1")).list("L", ID, "id"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("L has an invalid id: 'B_1'");
    }

    @Test
    void arnsAreCheckedForService() {
        Env env = Env.of(Map.of(
                "T",
                "arn:aws:sns:ap-northeast-2:123456789012:ops",
                "Q",
                "arn:aws:sqs:ap-northeast-2:123456789012:q",
                "BAD",
                "kfood-ops-notifications"));
        assertThat(env.requiredArn("T", "sns")).endsWith(":ops");
        assertThatThrownBy(() -> env.requiredArn("Q", "sns"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be an sns ARN");
        assertThatThrownBy(() -> env.requiredArn("BAD", "sns")).isInstanceOf(ConfigException.class);
    }

    @Test
    void errorMessagesDoNotEchoControlCharacters() {
        assertThatThrownBy(() -> Env.of(Map.of("N", "1\n2")).integer("N", 1, 1, 5))
                .hasMessageNotContaining("\n");
    }

    @Test
    void aZoneIsJavasOrAConfigurationErrorNamingTheVariable() {
        assertThat(Env.of(Map.of("Z", "Asia/Seoul")).zone("Z", "UTC")).isEqualTo(java.time.ZoneId.of("Asia/Seoul"));
        assertThat(Env.of(Map.of()).zone("Z", "UTC")).isEqualTo(java.time.ZoneId.of("UTC"));
        assertThatThrownBy(() -> Env.of(Map.of("Z", "Mars/Olympus")).zone("Z", "UTC"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Z must be a time zone such as UTC or Asia/Seoul, got 'Mars/Olympus'");
    }
}
