package io.github.filelock.internal.soft.strict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.MixedLockTypesException;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict-soft type as a registry builds it: its id, its space beside the others, what it refuses. */
class StrictRegistryTest {

    @TempDir
    Path dir;

    @Test
    void theTypeIsChosenByItsIdAndTakesTheLockThroughClaims() throws Exception {
        assertThat(LockType.of("strict-soft")).isEqualTo(LockType.STRICT_SOFT);
        assertThat(LockType.of("STRICT_SOFT")).isEqualTo(LockType.STRICT_SOFT);
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.STRICT_SOFT).build()) {
            assertThat(locks.type()).isEqualTo(LockType.STRICT_SOFT);
            try (FileLockHold hold = locks.acquire("job", Duration.ZERO)) {
                assertThat(StrictProtocolTest.names(dir.resolve("job.lock.filelock/claims"))).hasSize(2);
            }
            assertThat(StrictProtocolTest.names(dir.resolve("job.lock.filelock/claims"))).isEmpty();
            assertThat(Files.readAllBytes(dir.resolve("job.lock"))).isEqualTo(Sentinel.RECORD);
        }
    }

    @Test
    void strictSoftSoftAndFlockRegistriesShareADirectoryEachWithItsOwnNames() {
        try (FileLockRegistry flock = FileLockRegistry.builder(dir).type(LockType.FLOCK).build();
                FileLockRegistry soft = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
                FileLockRegistry strict = FileLockRegistry.builder(dir).type(LockType.STRICT_SOFT).build();
                FileLockHold a = flock.acquire("a", Duration.ZERO);
                FileLockHold b = soft.acquire("b", Duration.ZERO);
                FileLockHold c = strict.acquire("c", Duration.ZERO)) {
            assertThat(strict.diagnostics().inspect("c").isHeld()).isTrue();
            assertThat(strict.type()).isEqualTo(LockType.STRICT_SOFT);
        }
    }

    @Test
    void strictSoftBesideFileChannelLocksIsRefusedEitherWay() {
        try (FileLockRegistry channel = FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build()) {
            assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.STRICT_SOFT).build())
                    .isInstanceOf(MixedLockTypesException.class);
        }
        try (FileLockRegistry strict = FileLockRegistry.builder(dir).type(LockType.STRICT_SOFT).build()) {
            assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.FILE_CHANNEL).build())
                    .isInstanceOf(MixedLockTypesException.class);
        }
    }

    @Test
    void aHoldWhoseClaimsAnOperatorBrokeIsCountedLostWhenReleased() throws Exception {
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.STRICT_SOFT).build()) {
            StrictBackend operator = new StrictBackend(new FileSettings(dir.toRealPath(),
                    PosixFilePermissions.fromString("rw-r--r--"), false), StrictBackend.DEFAULT_MAX_POLL);
            FileLockHold hold = locks.acquire("job", Duration.ZERO);
            assertThat(operator.breakLock("job")).get().extracting(LockHolder::pid).isEqualTo(ProcessIdentity.PID);
            hold.close();
            assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
            locks.acquire("job", Duration.ZERO).close();
            assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
        }
    }

    @Test
    void sharedModeIsRefusedNamingSoftRw() {
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.STRICT_SOFT).build()) {
            assertThatThrownBy(() -> locks.acquire("job", LockMode.SHARED, Duration.ZERO))
                    .hasStackTraceContaining("soft-rw");
        }
    }

    @Test
    void deletingIdleLockFilesIsRefusedTheSentinelStays() {
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.STRICT_SOFT).deleteIdleLockFiles(true)
                .build()).hasMessageContaining("sentinel");
    }
}
