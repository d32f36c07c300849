package io.github.filelock.internal.soft.rw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockState;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.spi.LockSlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** soft-rw through the registry; SHARED on a soft type that cannot count readers. */
class SoftRwRegistryTest {

    @TempDir
    Path dir;

    FileLockRegistry.Builder builder(LockType type) {
        return FileLockRegistry.builder(dir).type(type).softHeartbeat(RwChild.HEARTBEAT)
                .softStaleThreshold(RwChild.STALE);
    }

    @Test
    void sharedIsAReadLockAndExclusiveAWriteLock() throws Exception {
        try (FileLockRegistry locks = builder(LockType.SOFT_RW).build()) {
            assertThat(locks.type()).isEqualTo(LockType.SOFT_RW);
            try (FileLockHold read = locks.acquireShared("idx", Duration.ZERO)) {
                try (Stream<Path> readers = Files.list(dir.resolve("idx.lock.readers"))) {
                    assertThat(readers).hasSize(1);
                }
                assertThat(locks.diagnostics().inspect("idx").state()).isEqualTo(LockState.HELD_BY_THIS_PROCESS);
            }
            ReadWriteLock rw = locks.obtainReadWrite("idx");
            assertThat(rw.writeLock().tryLock(1, TimeUnit.SECONDS)).isTrue();
            assertThat(dir.resolve("idx.lock.write")).exists();
            rw.writeLock().unlock();
            assertThat(dir.resolve("idx.lock.write")).doesNotExist();
        }
    }

    /**
     * Python's SoftReadWriteLock refreshes its markers every 30 s by default and evicts after 90 s. A Python reader
     * on those defaults whose beat is a few seconds late (a loaded host, a slow NFS server) has a marker 35 s old and
     * is alive: a Java writer on this library's defaults must wait for it, not evict it and write beside it.
     */
    @Test
    void aPythonReaderOnPythonsDefaultsIsNotEvictedByAWriterOnTheDefaults() throws Exception {
        Path readers = Files.createDirectories(dir.resolve("idx.lock.readers"));
        Path reader = Files.writeString(readers.resolve("0123456789abcdef0123456789abcdef.4242"),
                RwMarker.newToken() + "\n4242\nother-host\n");
        Files.setLastModifiedTime(reader, FileTime.from(Instant.now().minusSeconds(35)));
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.SOFT_RW).build()) {
            assertThat(locks.obtainReadWrite("idx").writeLock().tryLock()).as("a live Python reader is there")
                    .isFalse();
            assertThat(reader).exists();
        }
    }

    @Test
    void aReadHoldWhoseMarkerWasEvictedIsReportedLost() throws Exception {
        try (FileLockRegistry locks = builder(LockType.SOFT_RW).build()) {
            FileLockHold read = locks.acquireShared("idx", Duration.ZERO);
            try (Stream<Path> readers = Files.list(dir.resolve("idx.lock.readers"))) {
                Files.delete(readers.findFirst().orElseThrow()); // as another host's writer evicts it
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (read.isValid()) {
                assertThat(System.nanoTime() - deadline).as("lost within 10 s").isNegative();
                Thread.sleep(10);
            }
            assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
            read.close();
        }
    }

    /**
     * This JVM's readers share one reader marker. Once that marker was evicted (the hold is lost) another process's
     * writer may hold the lock: a reader arriving now must not join the lost hold and run beside that writer.
     */
    @Test
    void aReaderDoesNotJoinALostReadHoldWhileAnotherProcessWrites() throws Exception {
        try (FileLockRegistry locks = builder(LockType.SOFT_RW).build()) {
            FileLockHold first = locks.acquireShared("idx", Duration.ZERO);
            try (Stream<Path> readers = Files.list(dir.resolve("idx.lock.readers"))) {
                Files.delete(readers.findFirst().orElseThrow()); // as another host's writer evicts it
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (first.isValid()) {
                assertThat(System.nanoTime() - deadline).as("lost within 10 s").isNegative();
                Thread.sleep(10);
            }
            RwBackend otherProcess = new RwBackend(new FileSettings(dir.toRealPath(),
                    PosixFilePermissions.fromString("rw-r--r--"), false), RwChild.HEARTBEAT, RwChild.STALE,
                    Duration.ofMillis(25));
            LockSlot writer = otherProcess.openSlot("idx", () -> { });
            assertThat(writer.tryLock(LockMode.EXCLUSIVE)).as("no reader marker is left").isTrue();
            try {
                CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
                    try (FileLockHold read = locks.acquireShared("idx", Duration.ZERO)) {
                        return true;
                    } catch (FileLockException e) {
                        return false;
                    }
                });
                assertThat(second.get(10, TimeUnit.SECONDS)).as("a reader beside the other process's writer")
                        .isFalse();
            } finally {
                writer.unlock();
            }
            first.close();
            try (FileLockHold read = locks.acquireShared("idx", Duration.ZERO)) {
                assertThat(read.isValid()).as("a fresh read lock once the lost hold is gone").isTrue();
            }
        }
    }

    @Test
    void sharedOnASoftTypeIsRefusedWithAnErrorNamingSoftRw() {
        try (FileLockRegistry locks = builder(LockType.SOFT).build()) {
            assertThatThrownBy(() -> locks.acquireShared("idx", Duration.ZERO))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("'soft' locks are exclusive only").hasMessageContaining("'soft-rw'");
            assertThatThrownBy(() -> locks.acquireAsync("idx", LockMode.SHARED).join())
                    .hasCauseInstanceOf(UnsupportedOperationException.class);
            assertThat(dir.resolve("idx.lock")).as("nothing was taken").doesNotExist();
            try (FileLockHold write = locks.acquire("idx", Duration.ZERO)) { // EXCLUSIVE still works
                assertThatThrownBy(() -> locks.acquireShared("idx", Duration.ZERO)).as("even nested")
                        .isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }

    @Test
    void onlyTheTypesThatCountReadersSupportShared() {
        assertThat(LockType.SOFT.supportsShared()).isFalse();
        assertThat(LockType.SOFT_RW.supportsShared()).isTrue();
        assertThat(LockType.FLOCK.supportsShared()).isTrue();
        assertThat(LockType.FILE_CHANNEL.supportsShared()).isTrue();
        assertThat(LockType.POSTGRES.supportsShared()).isTrue();
        assertThat(LockType.of("soft-rw")).isEqualTo(LockType.SOFT_RW);
        assertThat(LockType.of("SOFT_RW")).isEqualTo(LockType.SOFT_RW);
    }

    @Test
    void softRwNamesMayShareADirectoryWithFileChannelLocksAsTheyNeverOpenLockFiles() throws Exception {
        try (FileLockRegistry channel = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build();
                FileLockRegistry rw = builder(LockType.SOFT_RW).build();
                FileLockHold kernel = channel.acquire("jobs", Duration.ZERO);
                FileLockHold read = rw.acquireShared("index", Duration.ZERO)) {
            assertThat(rw.diagnostics().scan()).extracting(s -> s.name()).containsExactly("index");
        }
        try (FileLockRegistry soft = builder(LockType.SOFT).build()) {
            assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build())
                    .as("soft opens <name>.lock files, which would drop fcntl locks")
                    .isInstanceOf(io.github.filelock.MixedLockTypesException.class);
        }
    }

    @Test
    void softAndSoftRwNamesShareADirectoryInOneJvm() throws Exception {
        try (FileLockRegistry soft = builder(LockType.SOFT).build();
                FileLockRegistry rw = builder(LockType.SOFT_RW).build();
                FileLockRegistry flock = FileLockRegistry.builder(dir).build()) {
            try (FileLockHold a = soft.acquire("jobs", Duration.ZERO);
                    FileLockHold b = rw.acquireShared("index", Duration.ZERO);
                    FileLockHold c = flock.acquire("other", Duration.ZERO)) {
                assertThat(rw.diagnostics().scan()).extracting(s -> s.name()).containsExactly("index");
            }
        }
    }
}
