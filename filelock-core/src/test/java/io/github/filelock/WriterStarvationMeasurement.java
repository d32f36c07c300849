package io.github.filelock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints how long a writer waits for a lock that 8 continuous readers keep taking SHARED (each holds 2 ms and asks
 * again at once): (a) 8 reader threads in this JVM, where the fair gate queues readers behind a waiting writer;
 * (b) 8 reader child JVMs, where only flock(2) arbitrates and it has no writer preference. Measures only: nothing
 * about speed is asserted. Run: {@code mvn -B -pl filelock-core test -Dtest=WriterStarvationMeasurement}.
 */
class WriterStarvationMeasurement {

    static final int READERS = 8;
    static final long READER_HOLD_MS = 2;
    static final Duration WRITER_GIVES_UP = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void readerThreadsInThisJvm() throws Exception {
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                Thread reader = new Thread(() -> readContinuously(locks, stop), "reader-" + i);
                reader.start();
                readers.add(reader);
            }
            Thread.sleep(300); // let the readers overlap
            report("8 reader threads, one JVM", measureWriter(locks, 200));
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }
    }

    @Test
    void readerChildJvms() throws Exception {
        List<Process> children = new ArrayList<>();
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).build()) {
            for (int i = 0; i < READERS; i++) {
                children.add(startReaderJvm(dir));
            }
            Path started = dir.resolve("started");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (countLines(started) < READERS && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300);
            report("8 reader JVMs (flock(2) only)", measureWriter(locks, 20));
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }

    private static List<Long> measureWriter(FileLockRegistry locks, int rounds) throws InterruptedException {
        List<Long> waitsMicros = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            try (FileLockHold write = locks.acquire("index", WRITER_GIVES_UP)) {
                waitsMicros.add((System.nanoTime() - start) / 1000);
                Thread.sleep(1);
            } catch (FileLockTimeoutException e) {
                waitsMicros.add(-1L); // starved for the whole WRITER_GIVES_UP
            }
            Thread.sleep(10);
        }
        return waitsMicros;
    }

    private static void report(String setup, List<Long> waits) {
        long starved = waits.stream().filter(w -> w < 0).count();
        List<Long> got = new ArrayList<>(waits.stream().filter(w -> w >= 0).toList());
        Collections.sort(got);
        String figures = got.isEmpty() ? "never acquired"
                : String.format("median %.2f ms, p90 %.2f ms, max %.2f ms", got.get(got.size() / 2) / 1000.0,
                        got.get(Math.min(got.size() - 1, got.size() * 9 / 10)) / 1000.0,
                        got.get(got.size() - 1) / 1000.0);
        System.out.printf("writer vs %s: %d writes, %s; starved (no lock within %d s): %d%n", setup, waits.size(),
                figures, WRITER_GIVES_UP.toSeconds(), starved);
    }

    static void readContinuously(FileLockRegistry locks, AtomicBoolean stop) {
        while (!stop.get()) {
            try (FileLockHold read = locks.acquireShared("index", Duration.ofSeconds(30))) {
                Thread.sleep(READER_HOLD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Process startReaderJvm(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), WriterStarvationMeasurement.class.getName(), dir.toString())
                .inheritIO().start();
    }

    private static long countLines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    /** A reader child JVM: one thread reading continuously until killed. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).build()) {
            try (FileLockHold first = locks.acquireShared("index", Duration.ofSeconds(30))) {
                Files.writeString(dir.resolve("started"), ProcessHandle.current().pid() + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            readContinuously(locks, new AtomicBoolean());
        }
    }
}
