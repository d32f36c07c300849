package io.github.filelock.benchmarks.names;

import io.github.filelock.FileLockRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Runs in its own JVM so that its descriptors and heap are only the registry's: acquires and closes
 * {@code count} distinct names once each, sampling {@code /proc/self/fd} on a side thread, then reports the
 * peak descriptors, heap retained after GC (registry still open, as in a running service), and files left.
 *
 * <p>Arguments: lock dir, count, deleteIdleLockFiles (true/false), output file (Java properties).
 */
public final class DistinctNamesWorker {

    private DistinctNamesWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        boolean deleteIdle = Boolean.parseBoolean(args[2]);
        Path out = Path.of(args[3]);
        Properties result = new Properties();
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).deleteIdleLockFiles(deleteIdle).build()) {
            long heapBefore = retainedHeap();
            long fdsBefore = openDescriptors();
            AtomicLong peak = new AtomicLong(fdsBefore);
            Thread sampler = new Thread(() -> sample(peak), "fd-sampler");
            sampler.setDaemon(true);
            sampler.start();
            Duration timeout = Duration.ofSeconds(10);
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                locks.acquire("name-" + i, timeout).close();
            }
            long elapsed = System.nanoTime() - start;
            sampler.interrupt();
            sampler.join();
            peak.accumulateAndGet(openDescriptors(), Math::max);
            result.setProperty("count", Integer.toString(count));
            result.setProperty("elapsedNanos", Long.toString(elapsed));
            result.setProperty("fdsBefore", Long.toString(fdsBefore));
            result.setProperty("peakFds", Long.toString(peak.get()));
            result.setProperty("fdsAfter", Long.toString(openDescriptors()));
            result.setProperty("heapBefore", Long.toString(heapBefore));
            result.setProperty("heapAfter", Long.toString(retainedHeap()));
            result.setProperty("filesLeft", Long.toString(countFiles(dir)));
        }
        try (var writer = Files.newBufferedWriter(out)) {
            result.store(writer, "distinct names run");
        }
    }

    private static void sample(AtomicLong peak) {
        while (!Thread.currentThread().isInterrupted()) {
            peak.accumulateAndGet(openDescriptors(), Math::max);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1; // less the descriptor of this listing
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot list /proc/self/fd (Linux only)", e);
        }
    }

    private static long retainedHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
