package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Once the OS has granted a lock, nothing after it may lose the lock or leak it: not a holder record that cannot
 * be written (a full disk), not an exception thrown on the way out, and not a claim in the wrong mode.
 */
class GrantedLockSurvivesFailuresTest {

    @TempDir
    Path tmp;
    private Path mounted;

    @AfterEach
    void cleanUp() throws Exception {
        TestHooks.install(null);
        if (mounted != null) {
            new ProcessBuilder("umount", "-l", mounted.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void onAFullFileSystemTheLockIsGrantedWithoutARecordAndOneWarningSaysWhy() throws Exception {
        Path dir = mountTinyTmpfs();
        try (FileLockRegistry locks = FileLockRegistry.builder(dir).build(); LogCapture log = new LogCapture()) {
            locks.acquire("job", LockMode.SHARED, Duration.ZERO).close(); // the file exists, with no data page
            fill(dir.resolve("filler"));

            for (int i = 0; i < 3; i++) {
                try (FileLockHold hold = locks.acquire("job", Duration.ZERO)) {
                    assertThat(flockNonBlocking(locks.diagnostics().lockFile("job"))).as("flock(1) is excluded")
                            .isEqualTo(1);
                    assertThat(Files.readAllBytes(locks.diagnostics().lockFile("job")))
                            .as("no record, and no stale one").isEmpty();
                }
                assertThat(flockNonBlocking(locks.diagnostics().lockFile("job"))).as("released").isZero();
            }
            assertThat(log.warnings()).singleElement().satisfies(w -> assertThat(w)
                    .contains(locks.diagnostics().lockFile("job").toString())
                    .contains("No space left on device")
                    .contains("holder record"));
        }
    }

    @Test
    void aFailureRightAfterTheOsLockIsTakenLeaksNoClaim() throws Exception {
        try (FileLockRegistry locks = FileLockRegistry.builder(tmp).build()) {
            for (Throwable failure : new Throwable[] {new IllegalStateException("boom"), new AssertionError("bang")}) {
                for (LockMode mode : LockMode.values()) {
                    TestHooks.install((point, subject) -> {
                        if (point.equals("LockEngine.locked")) {
                            sneakyThrow(failure);
                        }
                    });
                    assertThatThrownBy(() -> locks.acquire("job", mode, Duration.ofSeconds(1))).isSameAs(failure);
                    TestHooks.install(null);

                    assertThat(flockNonBlocking(locks.diagnostics().lockFile("job")))
                            .as("free after %s in %s", failure, mode)
                            .isZero();
                    assertThat(locks.diagnostics().localHolds()).isEmpty();
                    try (FileLockHold again = locks.acquire("job", Duration.ofSeconds(1))) {
                        assertThat(flockNonBlocking(locks.diagnostics().lockFile("job"))).isEqualTo(1);
                    }
                }
            }
        }
    }

    @Test
    void theOsClaimHonoursTheMode() throws Exception {
        try (FileLockRegistry locks = FileLockRegistry.builder(tmp).type(LockType.FLOCK).build()) {
            LockSpace space = FileSpaces.attach(tmp.toRealPath(), LockType.FLOCK, () -> {
                throw new AssertionError("the registry's space is shared");
            }, 256);
            KeyEntry entry = space.retain("job");
            try {
                assertThat(entry.tryLock(LockMode.SHARED)).isTrue();
                assertThatThrownBy(() -> entry.tryLock(LockMode.EXCLUSIVE))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("SHARED");
                assertThat(flockNonBlocking(entry.file, "-s")).as("still only shared").isZero();
                entry.releaseClaim();
                assertThat(flockNonBlocking(entry.file)).as("the one claim was let go").isZero();
            } finally {
                space.release(entry);
                space.detach();
            }
        }
    }

    private Path mountTinyTmpfs() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Path dir = Files.createDirectory(tmp.resolve("tiny"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        assumeTrue(mount.waitFor() == 0, () -> "cannot mount a tmpfs: " + output);
        mounted = dir;
        return dir;
    }

    private static void fill(Path file) {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("No space left on device");
        }
    }

    private static int flockNonBlocking(Path file, String... options) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("flock", "-n"));
        command.addAll(java.util.List.of(options));
        command.addAll(java.util.List.of(file.toString(), "true"));
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
