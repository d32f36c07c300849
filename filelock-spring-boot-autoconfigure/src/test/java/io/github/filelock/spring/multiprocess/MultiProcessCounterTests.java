package io.github.filelock.spring.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

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
        List<ChildApp> children = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                children.add(ChildApp.start(CounterApplication.class, tmp.resolve("child-" + i + ".log"),
                        "--filelock.dir=" + tmp.resolve("locks"), "--counter.file=" + counter,
                        "--counter.times=" + TIMES));
            }
            for (ChildApp child : children) {
                child.awaitLine("READY");
            }
            for (ChildApp child : children) {
                child.send("go");
            }
            for (ChildApp child : children) {
                child.awaitLine("DONE");
                assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(child.process.exitValue()).as(child.describe()).isZero();
            }
        } finally {
            children.forEach(ChildApp::close);
        }
        assertThat(new FileCounter(counter).value()).isEqualTo(PROCESSES * TIMES);
    }
}
