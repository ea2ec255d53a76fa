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

    @Test
    void aMaskedLogLineKeepsItsShapeAndLosesWhatIdentifiesOrOpens() {
        String line = "ERROR POST /api/uploads/81234 500 user=minji.kim@example.com password=hunter2 "
                + "session=9f8e7d6c5b4a39281706f5e4d3c2b1a0 request 4b1c2d3e-5f60-4718-a9b0-c1d2e3f4a5b6 "
                + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl from 10.0.3.17";
        String masked = Text.masked(line, 400);
        assertThat(masked)
                .startsWith("ERROR POST /api/uploads/# # user=<email> password=<masked> session=<masked> request <id>")
                .contains("Authorization: <masked>")
                .endsWith("from #.#.#.#")
                .doesNotContain("minji")
                .doesNotContain("hunter2")
                .doesNotContain("9f8e7d6c")
                .doesNotContain("eyJ")
                .doesNotContain("4b1c2d3e")
                .doesNotContain("81234");
        assertThat(Text.masked("api key AKIAIOSFODNN7EXAMPLE leaked", 100)).isEqualTo("api key <aws-key-id> leaked");
        assertThat(Text.masked("x".repeat(300) + "\n", 200)).hasSize(203).endsWith("...");
        assertThat(Text.masked(null, 10)).isEmpty();
    }

    @Test
    void aLongLineIsMaskedFromItsStartAndASecretTheCutWouldSplitIsLeftOut() {
        // 439 digits mask to one "#", so what stands near the window's end is shown: never half a key
        String key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String line = "9".repeat(439) + " " + key + " and more";
        String masked = Text.masked(line, 50);
        assertThat(masked).isEqualTo("# ...").doesNotContain("wJalr");
        assertThat(Text.masked("a".repeat(262_144), 20)).hasSize(23).endsWith("...");
    }
}
