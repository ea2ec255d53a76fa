package com.kfood.ops.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
    @Test
    void subjectIsPrintableAsciiOnOneLineAndAtMost100Characters() {
        String subject = Text.subject("[ALERT] 백엔드 kfood-backend\n5xx \u0007 error " + "x".repeat(200));
        assertThat(subject).hasSizeLessThanOrEqualTo(100).endsWith("...");
        assertThat(subject.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
        assertThat(subject).startsWith("[ALERT] kfood-backend 5xx error");
    }

    @Test
    void emptySubjectGetsAName() {
        assertThat(Text.subject("한글만")).isEqualTo("kfood-ops notification");
    }

    @Test
    void printableFoldsControlCharactersAndCuts() {
        assertThat(Text.printable("a\tb\u202Ec", 10)).isEqualTo("a b c");
        assertThat(Text.printable("abcdef", 3)).isEqualTo("abc...");
        assertThat(Text.printable(null, 3)).isEmpty();
    }

    @Test
    void markdownFromEventsCannotMentionLinkOrFormat() {
        String safe = Text.markdownSafe("<!channel> *bold* [x](http://evil) @here `code`", 200);
        assertThat(safe)
                .doesNotContain("<!channel>")
                .contains("&lt;!channel")
                .contains("\\*bold\\*")
                .contains("\\[x\\]")
                .contains("\\`code\\`")
                .doesNotContain("@here");
    }
}
