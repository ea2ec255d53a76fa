package com.kfood.ops.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README is a front door and every link of it and of docs/ resolves: a file, and a heading in it. */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} (.+)$");

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** Each link of the pages under {@code root} that does not resolve, as {@code page: target}. */
    static List<String> broken(Path root) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("(?i)(https?|mailto):.*")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                boolean ok = Files.exists(resolved)
                        && (anchor == null || anchors(resolved).contains(anchor.toLowerCase(Locale.ROOT)));
                if (!ok) {
                    broken.add(root.relativize(page) + ": " + target);
                }
            }
        }
        return broken;
    }

    private static Set<String> anchors(Path page) throws IOException {
        Set<String> out = new HashSet<>();
        if (page.toString().endsWith(".md")) {
            Matcher h = HEADING.matcher(Files.readString(page));
            while (h.find()) {
                out.add(slug(h.group(1)));
            }
        }
        return out;
    }

    @Test
    void everyLinkOfTheReadmeAndTheDocsResolves() throws IOException {
        assertThat(broken(InvokeTest.ROOT)).isEmpty();
    }

    @Test
    void theReadmeIsAFrontDoorOfAtMost300Lines() throws IOException {
        assertThat(Files.readAllLines(InvokeTest.ROOT.resolve("README.md"))).hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void aMissingPageOrHeadingIsFound(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(
                dir.resolve("README.md"),
                "# Front\n[ok](docs/a.md#the-backups-own-key) [gone](docs/gone.md) [no heading](docs/a.md#nowhere)"
                        + " [web](https://aws.amazon.com/)\n");
        Files.writeString(dir.resolve("docs/a.md"), "# A\n## The backups' own key\n[back](../README.md#front)\n");

        assertThat(broken(dir)).containsExactly("README.md: docs/gone.md", "README.md: docs/a.md#nowhere");
    }
}
