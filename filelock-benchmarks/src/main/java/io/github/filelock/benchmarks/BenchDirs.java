package io.github.filelock.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where benchmarks put their lock files: under {@code -Dfilelock.bench.dir} (the run script points it at
 * the module's {@code target/}), else under {@code java.io.tmpdir}. Either must be a disk-backed file
 * system, not tmpfs: the run prints which one it was.
 */
public final class BenchDirs {

    public static final String PROPERTY = "filelock.bench.dir";

    private BenchDirs() {
    }

    public static Path base() {
        String configured = System.getProperty(PROPERTY);
        return Path.of(configured != null ? configured : System.getProperty("java.io.tmpdir"), "filelock-bench")
                .toAbsolutePath();
    }

    /** A new, empty directory for one measurement. */
    public static Path fresh(String purpose) {
        try {
            Files.createDirectories(base());
            return Files.createTempDirectory(base(), purpose + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a benchmark directory under " + base()
                    + ": set -D" + PROPERTY + " to a writable directory", e);
        }
    }

    /** Deletes a directory tree; {@code rm -rf} because a million files is slow through java.nio. */
    public static void delete(Path dir) {
        try {
            Process rm = new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start();
            if (rm.waitFor() != 0) {
                throw new IllegalStateException("rm -rf " + dir + " failed with exit code " + rm.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while deleting " + dir, e);
        }
    }
}
