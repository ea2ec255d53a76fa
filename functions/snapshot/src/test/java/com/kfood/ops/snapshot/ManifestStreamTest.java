package com.kfood.ops.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The manifest as a stream in S3's key order: written as produced, read back entry by entry. */
class ManifestStreamTest {
    /** Keys as S3 takes them: any code points, never a lone surrogate (not UTF-8). */
    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.integers()
                .between(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list()
                .ofMaxSize(6)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    @Property
    void keysCompareAsTheirUtf8BytesDoAsS3ListsThem(@ForAll("keys") String a, @ForAll("keys") String b) {
        int expected = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        assertThat(Integer.signum(KeyOrder.compare(a, b))).isEqualTo(Integer.signum(expected));
    }

    @Test
    void aKeyPastTheBasicPlaneSortsAfterPrivateUseCharactersAsInUtf8NotAsInUtf16() {
        String emoji = "videos/\uD83C\uDF5C.mp4"; // U+1F35C, four bytes in UTF-8, a surrogate pair in UTF-16
        String privateUse = "videos/\uE000.mp4";
        assertThat(emoji.compareTo(privateUse)).isNegative(); // Java's order
        assertThat(KeyOrder.compare(emoji, privateUse)).isPositive(); // S3's
    }

    @Test
    void entriesWrittenAsProducedReadBackOneByOne() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Manifest.Entry> written = new ArrayList<>();
        try (Manifest.Writer out = new Manifest.Writer(bytes)) {
            for (int i = 0; i < 2_500; i++) {
                Manifest.Entry e =
                        new Manifest.Entry(String.format("videos/%05d.mp4", i), "v" + i, i, "\"e" + i + "\"");
                out.add(e);
                written.add(e);
            }
            assertThat(out.count()).isEqualTo(2_500);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        try (Manifest.Reader in = new Manifest.Reader(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.peek()).isEqualTo(written.getFirst());
            List<Manifest.Entry> read = new ArrayList<>();
            in.forEachRemaining(read::add);
            assertThat(read).isEqualTo(written);
        }
    }

    @Test
    void anEntryOutOfOrderIsRefusedWhenWrittenAndWhenRead() throws Exception {
        try (Manifest.Writer out = new Manifest.Writer(new ByteArrayOutputStream())) {
            out.add(new Manifest.Entry("b", "v", 1, "e"));
            assertThatThrownBy(() -> out.add(new Manifest.Entry("a", "v", 1, "e")))
                    .isInstanceOf(IllegalStateException.class);
        }
        ByteArrayOutputStream unordered = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(unordered)) {
            gz.write("{\"key\":\"b\",\"size\":1}\n{\"key\":\"a\",\"size\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        try (Manifest.Reader in = new Manifest.Reader(new ByteArrayInputStream(unordered.toByteArray()))) {
            assertThatThrownBy(in::next).hasMessageContaining("line 2 is out of key order");
        }
        assertThatThrownBy(() ->
                        new Manifest.Reader(new ByteArrayInputStream("not gzip".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
