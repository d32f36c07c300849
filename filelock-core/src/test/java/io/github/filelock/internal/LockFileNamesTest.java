package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LockFileNamesTest {

    private static final String SAFE_FILE_NAME = "[a-z0-9][a-z0-9._~-]*\\.lock|[a-z0-9._-]*~[a-z2-7]{32}\\.lock";

    @Test
    void plainNamesStayReadable() {
        assertThat(LockFileNames.fileName("embeddings")).isEqualTo("embeddings.lock");
        assertThat(LockFileNames.fileName("model-cache.v2_x")).isEqualTo("model-cache.v2_x.lock");
        assertThat(LockFileNames.fileName("doc-42")).isEqualTo("doc-42.lock");
    }

    @Test
    void otherNamesKeepAReadablePrefixAndAHash() {
        assertThat(LockFileNames.fileName("doc:42")).matches("doc_42~[a-z2-7]{32}\\.lock");
        assertThat(LockFileNames.fileName("Embeddings")).matches("embeddings~[a-z2-7]{32}\\.lock");
    }

    @Test
    void hostileNamesNeverLeaveTheDirectoryOrReachTheFileSystemRaw() {
        List<String> hostile = List.of("../x", "../../etc/passwd", "/etc/passwd", "/", ".", "..", "", "a/b", "a\\b",
                "C:\\Windows", "x\u0000y", "\u0000", "line\nbreak", "tab\tname", "\u001b[31mred", "con", "NUL",
                "com1.txt", "lpt9", "ümlaut", "日本語", "emoji-\uD83D\uDE00", "\uD800", "?", ".hidden", "-rf",
                "a".repeat(10_000), "a".repeat(65), "x".repeat(64));
        for (String name : hostile) {
            String file = LockFileNames.fileName(name);
            assertThat(file).as("file for %s", printable(name)).matches(SAFE_FILE_NAME).hasSizeLessThanOrEqualTo(80)
                    .doesNotContain("/", "\\", "..lock").isNotEqualTo(".lock");
        }
    }

    @Test
    void distinctNamesNeverShareAFileEvenOnCaseInsensitiveFileSystems() {
        List<String> tricky = List.of("a/b", "a_b", "a:b", "a b", "A_B", "a_B", "embeddings", "Embeddings",
                "EMBEDDINGS", "\uD800", "?", "\uFFFD", "con", "con_", "x".repeat(64), "x".repeat(65), "",
                "doc:42", "doc_42", "doc-42", "doc.42", "ü", "u\u0308", "a~b", "a.lock", "a");
        assertInjectiveIgnoringCase(tricky);
    }

    @Test
    void aHundredThousandRandomNamesMapInjectively() {
        SplittableRandom random = new SplittableRandom(42);
        String alphabet = "abAB_:/.-~ \u00fc\u0000\uD800z9";
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            int length = random.nextInt(1, 12);
            StringBuilder name = new StringBuilder();
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(name.toString());
        }
        assertInjectiveIgnoringCase(names.stream().distinct().toList());
    }

    private static void assertInjectiveIgnoringCase(List<String> names) {
        Map<String, String> byFile = new HashMap<>();
        for (String name : names) {
            String file = LockFileNames.fileName(name).toLowerCase(Locale.ROOT);
            String previous = byFile.putIfAbsent(file, name);
            assertThat(previous).as("%s and %s share %s", printable(name), printable(previous), file)
                    .isNull();
        }
    }

    private static String printable(String name) {
        if (name == null) {
            return null;
        }
        String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        return shown.chars()
                .mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c))
                .reduce("", String::concat);
    }
}
