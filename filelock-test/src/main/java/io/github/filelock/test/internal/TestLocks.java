package io.github.filelock.test.internal;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.test.OtherProcessHold;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What {@link io.github.filelock.test.FileLockExtension} made for one test: its lock directory (its own, or the
 * class's), the other-process holds it started and the registries it handed out. Closing gives them back in
 * the order that leaves nothing behind: holders first (a live holder could recreate a file), then registries,
 * then the directory.
 */
public final class TestLocks implements AutoCloseable {

    private final Path directory;
    private final boolean ownsDirectory;
    private final List<OtherProcessHold> holds = new ArrayList<>();
    private @Nullable FileLockRegistry registry;

    public TestLocks(@Nullable Path classDirectory) {
        this.ownsDirectory = classDirectory == null;
        this.directory = ownsDirectory ? createDirectory() : classDirectory;
    }

    public Path directory() {
        return directory;
    }

    public synchronized OtherProcessHold hold(OtherProcessHold.Builder builder) {
        OtherProcessHold hold = builder.start();
        holds.add(hold);
        return hold;
    }

    public synchronized FileLockRegistry registry() {
        if (registry == null) {
            registry = FileLockRegistry.builder(directory).build();
        }
        return registry;
    }

    /** Gives back every other-process hold, and returns once each holder has exited. */
    public synchronized void releaseHolds() {
        try {
            for (OtherProcessHold hold : holds) {
                hold.close();
            }
        } finally {
            holds.clear();
        }
    }

    @Override
    public synchronized void close() {
        try {
            releaseHolds();
        } finally {
            if (registry != null) {
                registry.close();
            }
            if (ownsDirectory) {
                deleteDirectory(directory);
            }
        }
    }

    public static Path createDirectory() {
        try {
            return Files.createTempDirectory("filelock-test-").toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary lock directory in "
                    + System.getProperty("java.io.tmpdir") + "; set java.io.tmpdir to a writable directory", e);
        }
    }

    public static void deleteDirectory(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the temporary lock directory " + directory, e);
        }
    }
}
