package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many distinct names keep descriptors, per-name state and (when asked) files bounded. */
class BoundedResourcesTest {

    private static final int NAMES = 20_000;
    private static final int MAX_OPEN = 64;

    @TempDir
    Path dir;

    @Test
    void idleDescriptorsAndStateAreEvicted() throws IOException {
        long fdsBefore = openDescriptors();
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).maxOpenFiles(MAX_OPEN).build()) {
            long peakFds = 0;
            for (int i = 0; i < NAMES; i++) {
                locks.acquire("doc-" + i, Duration.ZERO).close();
                if (i % 1000 == 0) {
                    peakFds = Math.max(peakFds, openDescriptors() - fdsBefore);
                }
            }
            assertThat(peakFds).isLessThanOrEqualTo(MAX_OPEN + 16);
            assertThat(countFiles()).as("files are kept by default").isEqualTo(NAMES);
            assertThat(locks.tryAcquire("doc-1")).as("a reopened name still locks")
                    .hasValueSatisfying(FileLockHold::close);
        }
        assertThat(openDescriptors() - fdsBefore).as("the last registry closes idle descriptors")
                .isLessThanOrEqualTo(8);
    }

    @Test
    void deletingIdleFilesKeepsTheDirectorySmallAndLocksStillExclude() throws Exception {
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).maxOpenFiles(MAX_OPEN).deleteIdleLockFiles(true)
                .build()) {
            for (int i = 0; i < NAMES; i++) {
                locks.acquire("doc-" + i, Duration.ZERO).close();
            }
            assertThat(countFiles()).isLessThanOrEqualTo(MAX_OPEN + 1);
            try (FileLockHold hold = locks.acquire("doc-7", Duration.ZERO)) {
                assertThat(ReentrancyTest.otherThreadCanTake(locks, "doc-7")).isFalse();
                Process flock = new ProcessBuilder("flock", "-n", hold.file().toString(), "true").start();
                assertThat(flock.waitFor()).as("flock(1) is excluded from a re-created file").isEqualTo(1);
            }
        }
    }

    @Test
    void theLeastRecentlyUsedIdleFilesAreClosedFirst() throws IOException {
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).maxOpenFiles(8).build()) {
            for (String name : List.of("n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n0", "n1", "n2", "n3", "n8")) {
                locks.acquire(name, Duration.ZERO).close();
            }
            // n8 made 9 open files: down to 6, closing n4, n5 and n6, which were used longest ago.
            assertThat(openLockFiles()).containsExactlyInAnyOrder("n0.lock", "n1.lock", "n2.lock", "n3.lock",
                    "n7.lock", "n8.lock");
        }
    }

    private List<String> openLockFiles() throws IOException {
        Path real = dir.toRealPath();
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (real.equals(target.getParent())) {
                        open.add(target.getFileName().toString());
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return open;
    }

    private long countFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
