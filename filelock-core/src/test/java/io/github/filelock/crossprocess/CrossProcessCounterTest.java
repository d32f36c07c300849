package io.github.filelock.crossprocess;

import static io.github.filelock.crossprocess.ChildArgs.arg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.filelock.LockType;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several JVMs with several threads each do locked read-modify-write increments of counter files. A lost
 * update (two holders at once) shows as a count below the expected one, or as a child that read a half
 * written counter. Each test prints the longest single wait next to the median, over all children.
 */
@Timeout(120)
class CrossProcessCounterTest {

    private static final int JVMS = 4;
    private static final int THREADS = 4;
    private static final int ITERATIONS = 500;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path tmp;

    @Test
    void fourJvmsTimesFourThreadsCountExactlyUnderOneLock() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        runChildren("one name, flock", data, arg("dir", tmp.resolve("locks")), arg("names", 1));

        assertThat(Files.readString(data.resolve("counter-0.count")))
                .isEqualTo(String.valueOf(JVMS * THREADS * ITERATIONS));
    }

    @Test
    void deletingIdleLockFilesNeverLetsTwoHoldersIn() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path locks = Files.createDirectory(tmp.resolve("locks"));
        int names = 20;
        try (DeletionCounter deletions = new DeletionCounter(locks)) {
            runChildren("20 names, maxOpenFiles=2, deleteIdle", data, arg("dir", locks), arg("names", names),
                    arg("maxOpenFiles", 2), arg("deleteIdle", true));
            System.out.println("[stress] lock files deleted while children ran: " + deletions.count());
            // Without deletions this test would prove nothing about them.
            assertThat(deletions.count()).as("lock files deleted during the run").isGreaterThan(names);
        }
        for (int n = 0; n < names; n++) {
            assertThat(Files.readString(data.resolve("counter-" + n + ".count")))
                    .as("count of counter-" + n)
                    .isEqualTo(String.valueOf(JVMS * THREADS * ITERATIONS / names));
        }
    }

    @Test
    void fileChannelFallbackAlsoCountsExactly() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        runChildren("one name, FILE_CHANNEL", data, arg("dir", tmp.resolve("locks")), arg("names", 1),
                arg("type", LockType.FILE_CHANNEL));

        assertThat(Files.readString(data.resolve("counter-0.count")))
                .isEqualTo(String.valueOf(JVMS * THREADS * ITERATIONS));
    }

    /**
     * FILE_CHANNEL locks are fcntl locks, owned by the process: closing an evicted descriptor must never drop a
     * newer holder's lock (maxOpenFiles=1 evicts on nearly every release), and threads of two processes waiting
     * for each other's names must never get the kernel's false EDEADLK. Every acquisition must succeed and every
     * count must be exact.
     */
    @ParameterizedTest(name = "deleteIdleLockFiles={0}")
    @ValueSource(booleans = {false, true})
    void fileChannelUnderEvictionPressureOnSeveralNamesCountsExactly(boolean deleteIdle) throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        int names = 5;
        runChildren("5 names, FILE_CHANNEL, maxOpenFiles=1, deleteIdle=" + deleteIdle, data,
                arg("dir", tmp.resolve("locks")), arg("names", names), arg("type", LockType.FILE_CHANNEL),
                arg("maxOpenFiles", 1), arg("deleteIdle", deleteIdle));

        for (int n = 0; n < names; n++) {
            assertThat(Files.readString(data.resolve("counter-" + n + ".count"))).as("count of counter-" + n)
                    .isEqualTo(String.valueOf(JVMS * THREADS * ITERATIONS / names));
        }
    }

    /** Starts the children, lets them go at once, checks they all finished cleanly, and prints the waits. */
    private void runChildren(String what, Path data, String... lockArgs) throws IOException {
        List<ChildProcess> jvms = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            List<Object> args = new ArrayList<>(List.of(lockArgs));
            args.addAll(List.of(arg("data", data), arg("threads", THREADS), arg("iterations", ITERATIONS)));
            jvms.add(children.jvm(CounterChild.class, args.toArray()));
        }
        for (ChildProcess jvm : jvms) {
            jvm.awaitLine("READY", Duration.ofSeconds(30));
        }
        long start = System.nanoTime();
        jvms.forEach(jvm -> jvm.send("GO"));
        for (ChildProcess jvm : jvms) {
            String summary = jvm.awaitLine(line -> line.startsWith("WAITS") || line.startsWith("FAILED"),
                    "its result", Duration.ofSeconds(90));
            assertThat(summary).as(jvm.describe()).startsWith("WAITS");
            assertThat(jvm.awaitExit(Duration.ofSeconds(10))).as(jvm.describe()).isZero();
            System.out.println("[stress] " + what + ": child " + jvm.pid() + " " + summary);
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        long[] waits = allWaits(data);
        assertThat(waits).hasSize(JVMS * THREADS * ITERATIONS);
        System.out.printf("[stress] %s: %d JVMs x %d threads x %d increments in %d ms; longest single wait %.3f ms,"
                + " median %.3f ms, p99 %.3f ms%n", what, JVMS, THREADS, ITERATIONS, elapsedMs,
                waits[waits.length - 1] / 1e6, waits[waits.length / 2] / 1e6, waits[waits.length * 99 / 100] / 1e6);
    }

    private static long[] allWaits(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data)) {
            return files.filter(f -> f.getFileName().toString().startsWith("waits-"))
                    .flatMap(CrossProcessCounterTest::lines)
                    .mapToLong(Long::parseLong)
                    .sorted()
                    .toArray();
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Counts lock files deleted from a directory (inotify), to show that idle-file deletion really ran. */
    private static final class DeletionCounter implements AutoCloseable {

        private final WatchService watcher;
        private final AtomicInteger deleted = new AtomicInteger();
        private final Thread thread;

        DeletionCounter(Path dir) throws IOException {
            watcher = FileSystems.getDefault().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_DELETE);
            thread = new Thread(this::watch, "lock-file-deletions");
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            try {
                while (true) {
                    WatchKey key = watcher.take();
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.ENTRY_DELETE
                                && event.context().toString().endsWith(".lock")) {
                            deleted.incrementAndGet();
                        }
                    }
                    key.reset();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed: stop counting
            }
        }

        int count() {
            return deleted.get();
        }

        @Override
        public void close() throws IOException {
            watcher.close();
            assertThatCode(() -> thread.join(5000)).doesNotThrowAnyException();
        }
    }
}
