package io.github.filelock.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtherProcessHoldTest {

    @TempDir
    Path dir;

    private FileLockRegistry registry;

    private FileLockRegistry registry() {
        registry = FileLockRegistry.builder(dir).build();
        return registry;
    }

    @AfterEach
    void closeRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void excludesThisJvmWhileHeldAndNotAfterRelease() {
        FileLockRegistry locks = registry();
        try (OtherProcessHold held = OtherProcessHold.exclusive(dir, "report")) {
            assertThat(locks.tryAcquire("report")).isEmpty();
            FileLockAssert.assertHeldByOtherProcess(locks, "report");
            assertThat(locks.diagnostics().inspect("report").kernelPid()).hasValue(held.pid());
        }
        Optional<FileLockHold> after = locks.tryAcquire("report");
        assertThat(after).isPresent();
        after.get().close();
    }

    @Test
    void flockToolCannotTakeTheFileWhileHeld() {
        Path file = registry().diagnostics().lockFile("report");
        try (OtherProcessHold held = OtherProcessHold.exclusive(dir, "report")) {
            assertThat(FlockCommand.canLock(file)).as("flock -n while held").isFalse();
        }
        assertThat(FlockCommand.canLock(file)).as("flock -n after release").isTrue();
    }

    @Test
    void sharedHoldLetsReadersInButNotWriters() {
        FileLockRegistry locks = registry();
        try (OtherProcessHold held = OtherProcessHold.builder(dir, "index").mode(LockMode.SHARED).start()) {
            Optional<FileLockHold> reader = locks.tryAcquire("index", LockMode.SHARED);
            assertThat(reader).isPresent();
            reader.get().close();
            assertThat(locks.tryAcquire("index", LockMode.EXCLUSIVE)).isEmpty();
        }
    }

    @Test
    void softHoldExcludesSoftRegistries(@TempDir Path softDir) {
        try (FileLockRegistry soft = FileLockRegistry.builder(softDir).type(LockType.SOFT).build()) {
            try (OtherProcessHold held = OtherProcessHold.builder(softDir, "share").type(LockType.SOFT)
                    .start()) {
                assertThat(soft.tryAcquire("share")).isEmpty();
            }
            Optional<FileLockHold> after = soft.tryAcquire("share");
            assertThat(after).isPresent();
            after.get().close();
        }
    }

    @Test
    void aBusyLockIsAClearErrorNamingTheLock() {
        try (FileLockHold mine = registry().acquire("report", Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> OtherProcessHold.builder(dir, "report").waitUpTo(Duration.ZERO).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not take lock 'report'")
                    .hasMessageContaining("Release it");
        }
    }

    @Test
    void aNegativeWaitIsRefused() {
        assertThatThrownBy(() -> OtherProcessHold.builder(dir, "report").waitUpTo(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hang the test");
    }
}
