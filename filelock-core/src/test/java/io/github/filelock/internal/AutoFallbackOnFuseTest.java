package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.fuse.FuseMount;
import io.github.filelock.internal.flock.FlockProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AUTO on a real file system that refuses flock: a loopback FUSE mount whose flock handler answers ENOLCK, as
 * NFS without lockd does. Skipped where FUSE cannot be mounted (no /dev/fuse, not root, no python3-fusepy).
 */
class AutoFallbackOnFuseTest {

    @TempDir
    Path tmp;
    Path mount;
    FuseMount fuse;
    LogCapture log;
    List<String> warnings;

    @BeforeEach
    void mount() throws Exception {
        fuse = FuseMount.start(tmp, "noflockfs.py");
        mount = fuse.mount();
        log = new LogCapture();
        warnings = log.warnings();
    }

    @AfterEach
    void unmount() throws Exception {
        if (log != null) {
            log.close();
        }
        if (fuse != null) {
            fuse.close();
        }
    }

    @Test
    void flockIsRefusedSoAutoFallsBackToSoftLocksWithAWarningThatNamesTheMount() throws Exception {
        Path dir = mount.resolve("locks");
        Path plain = Files.writeString(mount.resolve("plain-file"), "");
        Process flock = new ProcessBuilder("flock", "-n", plain.toString(), "true").redirectErrorStream(true).start();
        assertThat(new String(flock.getInputStream().readAllBytes())).as("flock(1) is refused here")
                .contains("No locks available");
        Files.delete(plain);

        try (FileLockRegistry locks = FileLockRegistry.builder(dir).type(LockType.AUTO).build()) {
            assertThat(locks.type()).isEqualTo(LockType.SOFT);
            assertThat(warnings).anySatisfy(w -> assertThat(w)
                    .contains("refuses flock(2)")
                    .contains("mounted at " + mount + " (fuse from Loopback)")
                    .contains("No locks available")
                    .contains("Falling back to SOFT locks"));

            FileLockHold hold = locks.acquire("job", Duration.ZERO);
            assertThat(Files.readString(locks.diagnostics().lockFile("job")))
                    .startsWith(ProcessHandle.current().pid() + "\n");
            CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(() -> {
                try (FileLockRegistry second = FileLockRegistry.builder(dir).type(LockType.SOFT).build()) {
                    return second.tryAcquire("job").isPresent();
                }
            });
            assertThat(other.get(20, TimeUnit.SECONDS)).isFalse();
            hold.close();
            assertThat(locks.diagnostics().lockFile("job")).doesNotExist();
        }
        try (var files = Files.list(dir)) {
            assertThat(files).map(p -> p.getFileName().toString()).containsExactly(FlockProbe.PROBE_NAME);
        }
    }
}
