package io.github.filelock.benchmarks.names;

import io.github.filelock.benchmarks.BenchDirs;
import io.github.filelock.benchmarks.ChildJvm;
import io.github.filelock.benchmarks.ChildProcesses;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** Runs {@link DistinctNamesWorker} in a fresh JVM and reads back its figures; deletes the lock files after. */
public final class NamesHarness {

    private final int count;
    private final String maxHeap;
    private final boolean quickStart;

    public NamesHarness(int count, String maxHeap, boolean quickStart) {
        this.count = count;
        this.maxHeap = maxHeap;
        this.quickStart = quickStart;
    }

    public NamesResult run(boolean deleteIdleFiles) throws IOException {
        Path dir = BenchDirs.fresh("names-" + (deleteIdleFiles ? "delete" : "keep"));
        try {
            Path out = dir.resolve("result.properties");
            ChildProcesses children = new ChildProcesses(dir);
            children.start("names", ChildJvm.command(DistinctNamesWorker.class, maxHeap, quickStart,
                    List.of(dir.resolve("locks").toString(), Integer.toString(count),
                            Boolean.toString(deleteIdleFiles), out.toString())));
            children.awaitAll(Duration.ofMinutes(8));
            Properties p = new Properties();
            try (Reader reader = Files.newBufferedReader(out)) {
                p.load(reader);
            }
            return new NamesResult(count, deleteIdleFiles, num(p, "elapsedNanos"), num(p, "fdsBefore"),
                    num(p, "peakFds"), num(p, "fdsAfter"), num(p, "heapBefore"), num(p, "heapAfter"),
                    num(p, "filesLeft"));
        } finally {
            BenchDirs.delete(dir);
        }
    }

    private static long num(Properties p, String key) {
        return Long.parseLong(p.getProperty(key));
    }
}
