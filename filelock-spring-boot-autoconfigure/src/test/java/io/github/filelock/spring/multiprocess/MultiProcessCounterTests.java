package io.github.filelock.spring.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Spring Boot applications in separate JVMs increment one file counter through a {@code @FileLocked}
 * read-modify-write; the OS lock on the shared lock directory is all that keeps updates from being lost.
 */
class MultiProcessCounterTests {

    private static final int PROCESSES = 2;
    private static final int TIMES = 300;

    @TempDir
    Path tmp;

    @Test
    void counterIsExactAcrossProcesses() throws Exception {
        Path counter = tmp.resolve("counter.txt");
        List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                children.add(Child.start(tmp.resolve("locks"), counter, TIMES, tmp.resolve("child-" + i + ".log")));
            }
            for (Child child : children) {
                child.awaitLine("READY");
            }
            for (Child child : children) {
                child.send("go");
            }
            for (Child child : children) {
                child.awaitLine("DONE");
                assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(child.process.exitValue()).as(child.describe()).isZero();
            }
        } finally {
            children.forEach(child -> child.process.destroyForcibly());
        }
        assertThat(new FileCounter(counter).value()).isEqualTo(PROCESSES * TIMES);
    }

    private static final class Child {
        final Process process;
        final BufferedReader out;
        final Path log;
        final List<String> seen = new ArrayList<>();

        private Child(Process process, Path log) {
            this.process = process;
            this.log = log;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(Path lockDir, Path counter, int times, Path log) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                    "-cp", System.getProperty("java.class.path"), CounterApplication.class.getName(),
                    "--filelock.dir=" + lockDir, "--counter.file=" + counter, "--counter.times=" + times,
                    "--spring.main.banner-mode=off", "--logging.level.root=WARN")
                    .redirectError(log.toFile());
            return new Child(builder.start(), log);
        }

        void awaitLine(String expected) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.equals(expected)) {
                    return;
                }
            }
            throw new AssertionError("child ended before printing " + expected + ": " + describe());
        }

        void send(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        String describe() {
            try {
                return "stdout " + seen + ", stderr " + (Files.exists(log) ? Files.readString(log) : "");
            } catch (IOException e) {
                return "stdout " + seen;
            }
        }
    }
}
