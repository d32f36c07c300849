package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planted symlinks and other non-regular files, hostile names and permissions, on real files. */
class LockFileSafetyTest {

    @TempDir
    Path tmp;
    Path dir;
    FileLockRegistry locks;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("locks");
        locks = FileLockRegistry.builder(dir).build();
    }

    @AfterEach
    void tearDown() {
        locks.close();
    }

    @Test
    void aPlantedSymlinkIsRefusedNeverFollowedNorTruncated() throws IOException {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious data");
        Files.createSymbolicLink(dir.resolve("embeddings.lock"), victim);

        assertThatThrownBy(() -> locks.acquire("embeddings", Duration.ofSeconds(1)))
                .isInstanceOf(FileLockException.class)
                .hasMessageContaining(dir.resolve("embeddings.lock").toString())
                .hasMessageContaining("symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("precious data");
        assertThat(Files.isSymbolicLink(dir.resolve("embeddings.lock"))).isTrue();
    }

    @Test
    void aDanglingSymlinkIsRefusedAndItsTargetNeverCreated() throws IOException {
        Path target = tmp.resolve("created-by-attacker");
        Files.createSymbolicLink(dir.resolve("embeddings.lock"), target);

        assertThatThrownBy(() -> locks.tryAcquire("embeddings")).hasMessageContaining("symbolic link");
        assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aPlantedFifoIsRefusedWithoutHanging() throws Exception {
        Path fifo = dir.resolve("jobs.lock");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertThatThrownBy(() -> locks.acquire("jobs", Duration.ofSeconds(1)))
                .isInstanceOf(FileLockException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void aPlantedDirectoryIsRefused() throws IOException {
        Files.createDirectory(dir.resolve("reports.lock"));

        assertThatThrownBy(() -> locks.acquire("reports", Duration.ofSeconds(1)))
                .isInstanceOf(FileLockException.class).hasMessageContaining("directory");
    }

    @Test
    void hostileNamesLockFilesInsideTheDirectoryOnly() throws IOException {
        List<String> names = List.of("../x", "/etc/passwd", "/", "x\u0000y", "ctl\u0007\n", "a".repeat(10_000),
                "日本語", "Embeddings", "embeddings", "a/b", "a_b", "..", ".");
        for (String name : names) {
            try (FileLockHold hold = locks.acquire(name, Duration.ofSeconds(1))) {
                assertThat(hold.file().getParent()).isEqualTo(dir.toRealPath());
                assertThat(Files.isRegularFile(hold.file(), LinkOption.NOFOLLOW_LINKS)).isTrue();
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).as("one file per distinct name").isEqualTo(names.size());
        }
        try (Stream<Path> outside = Files.list(tmp)) {
            assertThat(outside.map(p -> p.getFileName().toString())).containsExactly("locks");
        }
    }

    @Test
    void lockFilesGetTheDefaultOrConfiguredPermissions() throws IOException {
        try (FileLockHold hold = locks.acquire("default-perms", Duration.ZERO)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hold.file())))
                    .isEqualTo("rw-r--r--");
        }
        try (FileLockRegistry shared = FileLockRegistry.builder(tmp.resolve("group")).filePermissions("rw-rw----")
                        .build();
                FileLockHold hold = shared.acquire("group-perms", Duration.ZERO)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hold.file())))
                    .isEqualTo("rw-rw----");
        }
    }

    @Test
    void aLockDirectoryDeletedUnderAnOpenLockFileFailsTheNextAcquireInsteadOfSpinning() throws Exception {
        Path own = tmp.resolve("deleted");
        // A registry of its own, closed only when the acquire came back: one that spins holds the key's lock, and
        // closing it would hang this test instead of failing it.
        FileLockRegistry registry = FileLockRegistry.builder(own).build();
        registry.acquire("x", Duration.ofSeconds(5)).close(); // the registry keeps the file open for the next holder
        try (Stream<Path> files = Files.list(own)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(own); // as a test's @TempDir cleanup or an operator's rm -rf would
        // The kept descriptor still locks (an unlinked inode), so the engine reopens the path, which cannot be
        // created now: that must fail, naming the file, not retry for ever on the thread of the caller.
        CompletableFuture<Throwable> attempt = new CompletableFuture<>();
        Thread caller = new Thread(() -> attempt.complete(catchThrowable(() -> registry.tryAcquire("x"))), "caller");
        caller.setDaemon(true);
        caller.start();
        Throwable thrown = attempt.get(10, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(FileLockException.class).hasMessageContaining("x.lock")
                .hasMessageContaining("directory");
        registry.close();
    }

    @Test
    void aMissingDirectoryIsCreatedOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void badPermissionStringsAreExplained() {
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).filePermissions("rw-r--r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rw-r--r--");
    }

    @Test
    void theHolderRecordIsWrittenThroughTheHeldDescriptor() throws IOException {
        try (FileLockHold hold = locks.acquire("embeddings", Duration.ZERO)) {
            String record = Files.readString(hold.file());
            assertThat(record).contains("pid=" + ProcessHandle.current().pid(),
                    "thread=" + Thread.currentThread().getName(),
                    "name=embeddings", "since=" + hold.acquiredAt());
        }
    }
}
