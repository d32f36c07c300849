package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.internal.flock.FlockBackend;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code FileLockRegistry.builder(LockBackend)}: the engine runs on a backend handed to it, with a space of its own.
 * Shown with the real flock backend, so that flock(1) tells whether the lock is really held.
 */
class BackendRegistryTest {

    @TempDir
    Path dir;

    @Test
    void aRegistryOnAGivenBackendLocksThroughItAndRefusesFileSettings() throws Exception {
        FlockBackend backend = FlockBackend.load(new FileSettings(dir.toRealPath(),
                PosixFilePermissions.fromString("rw-r--r--"), false));
        try (FileLockRegistry locks = FileLockRegistry.builder(backend).maxOpenFiles(4).build()) {
            assertThat(locks.type()).isEqualTo(LockType.FLOCK);
            try (FileLockHold hold = locks.acquire("job", Duration.ZERO)) {
                assertThat(hold.isValid()).isTrue();
                assertThat(flockNonBlocking(dir.resolve("job.lock"))).as("flock -n while held").isEqualTo(1);
                assertThat(locks.diagnostics().localHolds()).extracting(h -> h.name()).containsExactly("job");
            }
            assertThat(flockNonBlocking(dir.resolve("job.lock"))).as("flock -n after release").isZero();
        }
        assertThatThrownBy(() -> FileLockRegistry.builder(backend).type(LockType.SOFT).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Configure the backend itself");
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.POSTGRES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("builder(LockBackend)");
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.REDIS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filelock-redis");
    }

    private static int flockNonBlocking(Path file) throws Exception {
        return new ProcessBuilder("flock", "-n", file.toString(), "true").inheritIO().start().waitFor();
    }
}
