package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.LockType;
import io.github.filelock.internal.LogCapture;
import io.github.filelock.internal.ProcessIdentity;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Soft locks through the registry: the marker, stale markers, leases, lost holds and release. */
class SoftLockTest {

    @TempDir
    Path dir;
    FileLockRegistry locks;

    @BeforeEach
    void setUp() {
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT).filePermissions("rw-rw----").build();
    }

    @AfterEach
    void tearDown() {
        locks.close();
    }

    @Test
    void theMarkerIsThePythonFormatWithExactPermissionsAndIsDeletedOnRelease() throws Exception {
        Path marker = locks.diagnostics().lockFile("report");
        try (FileLockHold hold = locks.acquire("report", Duration.ZERO)) {
            assertThat(locks.type()).isEqualTo(LockType.SOFT);
            String expected = ProcessIdentity.PID + "\n" + hostname() + "\n" + startToken(ProcessIdentity.PID) + "\n";
            assertThat(Files.readString(marker)).isEqualTo(expected);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(marker))).isEqualTo("rw-rw----");
        }
        assertThat(marker).doesNotExist();
        assertThat(dir).isEmptyDirectory(); // no break marker, no file moved aside
    }

    @Test
    void aMarkerOfAKilledJvmIsBrokenAndTheLockAcquired() throws Exception {
        Path marker = locks.diagnostics().lockFile("job");
        try (Jvm child = Jvm.softChild(dir)) {
            assertThat(child.ask("hold job")).isEqualTo("HELD");
            assertThat(locks.tryAcquire("job")).isEmpty();
            LockStatus status = locks.diagnostics().inspect("job");
            assertThat(status.state()).isEqualTo(LockState.HELD_BY_OTHER_PROCESS);
            assertThat(status.holder()).get().satisfies(h -> assertThat(h.pid()).isEqualTo(child.pid()))
                    .satisfies(h -> assertThat(h.thread()).as("a marker records no thread").isEmpty());
            assertThatThrownBy(() -> locks.acquire("job", Duration.ofMillis(50)))
                    .isInstanceOf(FileLockTimeoutException.class).hasMessageContaining("pid " + child.pid());
            child.kill9();
            assertThat(Files.readString(marker)).startsWith(child.pid() + "\n"); // the stale marker stays behind
        }
        try (FileLockHold hold = locks.acquire("job", Duration.ofSeconds(5))) {
            assertThat(Files.readString(marker)).startsWith(ProcessIdentity.PID + "\n");
        }
    }

    @Test
    void aReusedPidIsStaleButTheSameProcessIsNot() throws Exception {
        Path marker = locks.diagnostics().lockFile("reuse");
        long pid = 1; // alive for the whole test
        BigInteger right = startToken(pid);
        writeMarker(marker, pid + "\n" + hostname() + "\n" + right + "\n");
        assertThat(locks.tryAcquire("reuse")).as("pid 1 with its own start token holds").isEmpty();

        writeMarker(marker, pid + "\n" + hostname() + "\n" + right.add(BigInteger.ONE) + "\n");
        try (FileLockHold hold = locks.acquire("reuse", Duration.ZERO)) {
            assertThat(Files.readString(marker)).startsWith(ProcessIdentity.PID + "\n");
        }
        // a marker from a previous boot: same starttime, another boot id
        writeMarker(marker, pid + "\n" + hostname() + "\n" + right.flipBit(100) + "\n");
        locks.acquire("reuse", Duration.ZERO).close();
    }

    @Test
    void releaseFindsALostMarkerLogsAndCountsItAndLeavesTheNewHoldersMarker() throws Exception {
        Path marker = locks.diagnostics().lockFile("x");
        try (LogCapture log = new LogCapture()) {
            FileLockHold hold = locks.acquire("x", Duration.ZERO);
            // an operator broke our marker and a process on another host took the lock
            Files.delete(marker);
            writeMarker(marker, "778\nhost-c\n1\n");
            hold.close();
            assertThat(Files.readString(marker)).isEqualTo("778\nhost-c\n1\n");
            assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
            assertThat(log.errors()).singleElement().satisfies(e -> assertThat(e).contains("'x'").contains("LOST"));
        }
    }

    @Test
    void aNonPositivePollIntervalIsRejected() {
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).softPollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("softPollInterval must be positive");
    }

    @Test
    void sharedModeIsRefusedWithAClearError() {
        assertThatThrownBy(() -> locks.acquireShared("index", Duration.ZERO))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("'soft' locks are exclusive only").hasMessageContaining("'soft-rw'");
        assertThat(locks.acquire("index", Duration.ZERO)).satisfies(FileLockHold::close);
    }

    @Test
    void aPlantedSymlinkIsRefusedAndNotFollowed() throws Exception {
        Path target = dir.resolve("target.txt");
        Files.writeString(target, "precious");
        Files.createSymbolicLink(locks.diagnostics().lockFile("evil"), target);
        assertThatThrownBy(() -> locks.acquire("evil", Duration.ZERO))
                .isInstanceOf(FileLockException.class).hasMessageContaining("symbolic link");
        assertThat(Files.readString(target)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(locks.diagnostics().lockFile("evil"))).isTrue();
    }

    @Test
    void aLeaseOfAtMostTwoHeartbeatsIsRejected() {
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).type(LockType.SOFT)
                .softHeartbeat(Duration.ofSeconds(10)).softLease(Duration.ofSeconds(20)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softLease (20000 ms) must be more than twice softHeartbeat (10000 ms)");
        assertThatThrownBy(() -> FileLockRegistry.builder(dir).softLease(Duration.ZERO))
                .hasMessageContaining("softLease must be positive");
    }

    @Test
    void waitersInAnotherJvmGetTheLockWhenItIsReleased() throws Exception {
        try (Jvm child = Jvm.softChild(dir)) {
            FileLockHold hold = locks.acquire("queue", Duration.ZERO);
            child.send("hold queue");
            Thread.sleep(200);
            hold.close();
            assertThat(child.read()).isEqualTo("HELD");
            assertThat(locks.tryAcquire("queue")).isEmpty();
            assertThat(child.ask("release")).isEqualTo("RELEASED");
            locks.acquire("queue", Duration.ofSeconds(5)).close();
        }
    }

    // ---- the protocol, computed here independently of the code under test -------------------------------

    static String hostname() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }

    static BigInteger startToken(long pid) throws Exception {
        BigInteger boot = new BigInteger(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim()
                .replace("-", ""), 16);
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
        String starttime = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
        return boot.shiftLeft(64).or(new BigInteger(starttime));
    }

    static void writeMarker(Path marker, String content) throws Exception {
        Files.deleteIfExists(marker);
        Files.writeString(marker, content);
        assertThat(Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }
}
