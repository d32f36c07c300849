package io.github.filelock.benchmarks.jmh;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.benchmarks.BenchDirs;
import io.github.filelock.benchmarks.HolderFileCalls;
import io.github.filelock.benchmarks.NativeFlock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A registry and, for the baseline, a bare descriptor on a different file of the same directory, so the
 * two never contend with each other, with the file calls a checking lock makes on that file for each new holder.
 */
final class LockFixture implements AutoCloseable {

    static final String NAME = "bench";

    final FileLockRegistry registry;
    final int bareFd;
    final HolderFileCalls bareFileCalls;
    private final Path dir;

    LockFixture(String purpose) throws IOException {
        dir = BenchDirs.fresh(purpose);
        registry = FileLockRegistry.builder(dir.resolve("locks")).build();
        bareFd = NativeFlock.openForLocking(dir.resolve("bare.lock"));
        bareFileCalls = new HolderFileCalls(dir.resolve("bare.lock"), bareFd, NAME);
    }

    @Override
    public void close() {
        registry.close();
        NativeFlock.closeFd(bareFd);
        BenchDirs.delete(dir);
    }
}
