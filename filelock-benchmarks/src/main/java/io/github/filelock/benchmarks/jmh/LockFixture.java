package io.github.filelock.benchmarks.jmh;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.benchmarks.BenchDirs;
import io.github.filelock.benchmarks.NativeFlock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A registry and, for the baseline, a bare descriptor on a different file of the same directory, so the
 * two never contend with each other.
 */
final class LockFixture implements AutoCloseable {

    static final String NAME = "bench";

    final FileLockRegistry registry;
    final int bareFd;
    private final Path dir;

    LockFixture(String purpose) throws IOException {
        dir = BenchDirs.fresh(purpose);
        registry = FileLockRegistry.builder(dir.resolve("locks")).build();
        bareFd = NativeFlock.openForLocking(dir.resolve("bare.lock"));
    }

    @Override
    public void close() {
        registry.close();
        NativeFlock.closeFd(bareFd);
        BenchDirs.delete(dir);
    }
}
