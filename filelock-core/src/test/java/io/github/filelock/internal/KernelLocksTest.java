package io.github.filelock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLocksTest {

    private static final List<String> PROC_LOCKS = List.of(
            "1: POSIX  ADVISORY  WRITE 812 00:19:3330 0 EOF",
            "2: FLOCK  ADVISORY  WRITE 4242 fd:01:123456 0 EOF",
            "2: -> FLOCK  ADVISORY  WRITE 4343 fd:01:123456 0 EOF",
            "3: OFDLCK ADVISORY  READ  -1 fd:01:777 0 EOF");

    @Test
    void findsTheGrantedHolderAndIgnoresBlockedWaiters() {
        assertThat(KernelLocks.holderPid(PROC_LOCKS, 0xfd, 0x01, 123456)).hasValue(4242);
        assertThat(KernelLocks.holderPid(PROC_LOCKS, 0x00, 0x19, 3330)).hasValue(812);
        assertThat(KernelLocks.holderPid(PROC_LOCKS, 0xfd, 0x01, 777)).hasValue(-1);
    }

    @Test
    void anUnlockedInodeOrAnotherDeviceIsFree() {
        assertThat(KernelLocks.holderPid(PROC_LOCKS, 0xfd, 0x01, 999)).isEmpty();
        assertThat(KernelLocks.holderPid(PROC_LOCKS, 0xfd, 0x02, 123456)).isEmpty();
    }

    @Test
    void splitsDeviceNumbersTheWayGlibcDoes() {
        long dev = (0xfdL << 8) | 0x01L;
        assertThat(KernelLocks.major(dev)).isEqualTo(0xfd);
        assertThat(KernelLocks.minor(dev)).isEqualTo(0x01);
    }

    @Test
    void aScanReadsTheKernelsLockTableOnceNotOncePerFile(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 20; i++) {
            Files.writeString(dir.resolve("name-" + i + ".lock"), "");
        }
        AtomicInteger reads = new AtomicInteger();
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            TestHooks.install((point, subject) -> {
                if (point.equals("KernelLocks.read")) {
                    reads.incrementAndGet();
                }
            });
            assertThat(registry.diagnostics().scan()).hasSize(20);
        } finally {
            TestHooks.install(null);
        }
        assertThat(reads).as("reads of /proc/locks in one scan of 20 files").hasValue(1);
    }
}
