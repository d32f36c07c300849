package io.github.filelock.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.LocalHold;
import io.github.filelock.spring.FileLocked;
import io.github.filelock.spring.support.Runners;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The lock file each {@code @FileLocked} call locks, pinned byte for byte. Instances of two versions run side by
 * side during a rolling deploy and exclude each other only if they lock the same files, so a change here is an
 * upgrade note in the README, never an accident. The values were computed by version 0.1; the two keyed
 * names that 0.2 changed say so.
 */
class LockFileNamesGoldenTests {

    static final String LONG =
            "a-very-long-lock-name-that-is-longer-than-the-sixty-four-characters-a-plain-name-may-have";

    @TempDir
    Path tmp;

    @Test
    void unkeyedNamesLockTheSameFilesAsVersion01() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).run(context -> {
            Named named = context.getBean(Named.class);
            Map<String, Supplier<String>> calls = new LinkedHashMap<>();
            calls.put("embeddings", named::plain);
            calls.put("Doc:42", named::upperCaseAndColon);
            calls.put("doc:a", named::colon);
            calls.put("../../etc/passwd", named::traversal);
            calls.put("CON", named::windowsDevice);
            calls.put("Dokument-ä€😀", named::unicode);
            calls.put("tab\tand\u0000nul", named::controlCharacters);
            calls.put("  trimmed  ", named::trimmed);
            calls.put(LONG, named::longName);
            Map<String, String> files = new LinkedHashMap<>();
            calls.forEach((name, call) -> files.put(name, call.get()));
            assertThat(files).containsExactly(
                    Map.entry("embeddings", "embeddings.lock"),
                    Map.entry("Doc:42", "doc_42~yufvqppc65tg3c22qxjgy5hqbugpaxjy.lock"),
                    Map.entry("doc:a", "doc_a~z5fpxulqvf5pgdihot6zpxgs3jaimgu6.lock"),
                    Map.entry("../../etc/passwd", "_._.._etc_passwd~2fyijhl6hvjw5tkne4r5qgyu4dtfdzjm.lock"),
                    Map.entry("CON", "con~mjm5tadh7akimehi7bvbdsrojawoieqj.lock"),
                    Map.entry("Dokument-ä€😀", "dokument-____~pg45oadq2gigtdi2tozn6adqvjiagdob.lock"),
                    Map.entry("tab\tand\u0000nul", "tab_and_nul~rr7vggofuxb6udlfk3lcwqk7ikebuf4h.lock"),
                    Map.entry("  trimmed  ", "trimmed.lock"),
                    Map.entry(LONG, "a-very-long-lock-name-that-is-longer-tha~gxb3xoi4gpc5np6rsdhysmlhgqqgdzud.lock"));
        });
    }

    @Test
    void keyedNamesLockTheSameFilesAsVersion01ExceptKeysWithColonOrPercent() {
        Runners.withLockDir(tmp).withUserConfiguration(Beans.class).run(context -> {
            Keyed keyed = context.getBean(Keyed.class);
            Map<String, String> files = new LinkedHashMap<>();
            files.put("doc / 42", keyed.doc(42));
            files.put("doc / abc-7", keyed.doc("abc-7"));
            files.put("doc / Ä€ 😀", keyed.doc("Ä€ 😀"));
            files.put("doc / LONG", keyed.doc(LONG));
            files.put("doc / a:b", keyed.doc("a:b"));
            files.put("doc / 50%", keyed.doc("50%"));
            files.put("doc:a / b", keyed.docA("b"));
            assertThat(files).containsExactly(
                    Map.entry("doc / 42", "doc_42~uhb6x2emksssppxwmujqksy5knjxoxlo.lock"),
                    Map.entry("doc / abc-7", "doc_abc-7~33eqxdmbgcbkrbaqnw2sr4eyrmvcwxsk.lock"),
                    Map.entry("doc / Ä€ 😀", "doc______~da5qikyikm3e2edgeleoh4sx7evjmqhr.lock"),
                    Map.entry("doc / LONG",
                            "doc_a-very-long-lock-name-that-is-longer~acktqypjwtgornx64fxg2au7v5cjujun.lock"),
                    // Changed in 0.2 (README, "Upgrading"): a key's ':' and '%' are encoded,
                    // so that this pair no longer
                    // shares doc_a_b~mwpdpmqkik5z3umeqhuafqs3hc35jdsr.lock ("doc:a:b") with the last one.
                    Map.entry("doc / a:b", "doc_a_3ab~o52y6ddzfezlpt3zevjefervjl4gt6ol.lock"),
                    // Changed in 0.2: was doc_50_~geybabiuwltkapfh77pkdahzwnf4wz2w.lock ("doc:50%").
                    Map.entry("doc / 50%", "doc_50_25~od3txzjouz7red4h2ogj4easmpg4nxee.lock"),
                    Map.entry("doc:a / b", "doc_a_b~mwpdpmqkik5z3umeqhuafqs3hc35jdsr.lock"));
        });
    }

    static class LockedFile {
        @Autowired
        FileLockRegistry registry;

        String lockedFile() {
            return registry.diagnostics().localHolds().stream().map(LocalHold::file)
                    .map(f -> f.getFileName().toString())
                    .reduce((a, b) -> a + "," + b).orElseThrow();
        }
    }

    static class Named extends LockedFile {
        @FileLocked("embeddings")
        public String plain() {
            return lockedFile();
        }

        @FileLocked("Doc:42")
        public String upperCaseAndColon() {
            return lockedFile();
        }

        @FileLocked("doc:a")
        public String colon() {
            return lockedFile();
        }

        @FileLocked("../../etc/passwd")
        public String traversal() {
            return lockedFile();
        }

        @FileLocked("CON")
        public String windowsDevice() {
            return lockedFile();
        }

        @FileLocked("Dokument-ä€😀")
        public String unicode() {
            return lockedFile();
        }

        @FileLocked("tab\tand\u0000nul")
        public String controlCharacters() {
            return lockedFile();
        }

        @FileLocked("  trimmed  ")
        public String trimmed() {
            return lockedFile();
        }

        @FileLocked(LONG)
        public String longName() {
            return lockedFile();
        }
    }

    static class Keyed extends LockedFile {
        @FileLocked(name = "doc", key = "#id")
        public String doc(Object id) {
            return lockedFile();
        }

        @FileLocked(name = "doc:a", key = "#id")
        public String docA(String id) {
            return lockedFile();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Named named() {
            return new Named();
        }

        @Bean
        Keyed keyed() {
            return new Keyed();
        }
    }
}
