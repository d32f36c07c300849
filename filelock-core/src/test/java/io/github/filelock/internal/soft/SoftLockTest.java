package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Soft locks through the registry: the marker, stale markers, leases, lost holds and release. */
class SoftLockTest {

    static final Duration HEARTBEAT = Duration.ofMillis(100);
    static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    FileLockRegistry locks;

    @BeforeEach
    void setUp() {
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT).softHeartbeat(HEARTBEAT)
                .softLease(LEASE).filePermissions("rw-rw----").build();
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
    void aForeignHostsMarkerIsBrokenOnlyAfterTheLease() throws Exception {
        Path marker = locks.diagnostics().lockFile("shared-volume");
        writeMarker(marker, "4242\nanother-host\n123\n");
        assertThat(locks.tryAcquire("shared-volume")).as("fresh foreign marker").isEmpty();
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(LEASE).minusSeconds(1)));
        try (FileLockHold hold = locks.acquire("shared-volume", Duration.ZERO)) {
            assertThat(Files.readString(marker)).startsWith(ProcessIdentity.PID + "\n");
        }
    }

    @Test
    void anUnreadableMarkerAgesOutByTheLeaseLikeAForeignOne() throws Exception {
        Path marker = locks.diagnostics().lockFile("torn");
        writeMarker(marker, "");
        assertThat(locks.tryAcquire("torn")).isEmpty();
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(LEASE).minusSeconds(1)));
        locks.acquire("torn", Duration.ZERO).close();
    }

    @Test
    void aHolderWhoseMarkerWasReplacedFindsOutAtItsNextHeartbeatAndReleaseLeavesTheNewMarker() throws Exception {
        Path marker = locks.diagnostics().lockFile("lease");
        FileLockHold hold = locks.acquire("lease", Duration.ZERO);
        Instant before = Files.getLastModifiedTime(marker).toInstant();
        Thread.sleep(HEARTBEAT.toMillis() * 3);
        assertThat(Files.getLastModifiedTime(marker).toInstant()).as("the heartbeat refreshes the mtime")
                .isAfter(before);
        assertThat(locks.diagnostics().lostHolds()).isZero();

        // another host broke our lease and took the lock: its marker replaces ours in one rename
        Path theirs = dir.resolve("theirs.tmp");
        Files.writeString(theirs, "777\nhost-b\n1\n");
        Files.move(theirs, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (locks.diagnostics().lostHolds() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
        hold.close();
        assertThat(Files.readString(marker)).as("release deletes only our own marker").isEqualTo("777\nhost-b\n1\n");
        assertThat(locks.diagnostics().lostHolds()).as("counted once").isEqualTo(1);
    }

    @Test
    void aHoldWhoseMarkerAnotherProcessBrokeIsNoLongerValidAndTheLossIsLoggedAndCounted() throws Exception {
        Path marker = locks.diagnostics().lockFile("lease-lost");
        try (LogCapture log = new LogCapture(); FileLockHold hold = locks.acquire("lease-lost", Duration.ZERO)) {
            assertThat(hold.isValid()).isTrue();
            Thread.sleep(HEARTBEAT.toMillis() * 2);
            assertThat(hold.isValid()).as("still valid across heartbeats").isTrue();

            // Another process (on another host, it judged our marker stale after the lease) broke it and took the
            // lock: its own marker replaces ours in one rename, as a breaker's O_EXCL create after removal would.
            Process breaker = new ProcessBuilder("sh", "-c", "printf '4242\\nhost-b\\n1\\n' > \"$1.new\" && mv -f"
                    + " \"$1.new\" \"$1\"", "sh", marker.toString()).inheritIO().start();
            assertThat(breaker.waitFor()).isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hold.isValid() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(hold.isValid()).as("found lost at the next heartbeat").isFalse();
            assertThat(hold.isOpen()).as("lost, but still to be closed by its owner").isTrue();
            assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
            assertThat(log.errors()).singleElement().satisfies(e -> assertThat(e).contains("'lease-lost'")
                    .contains("LOST").contains("isValid()"));
        }
        assertThat(Files.readString(marker)).as("release leaves the new holder's marker")
                .isEqualTo("4242\nhost-b\n1\n");
        try (FileLockHold again = locks.acquire("lease-lost", Duration.ZERO)) {
            fail("the new holder's marker is live for its lease: " + again);
        } catch (FileLockTimeoutException expected) {
            // the lock is the other process's now
        }
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(LEASE).minusSeconds(1)));
        try (FileLockHold later = locks.acquire("lease-lost", Duration.ZERO)) {
            assertThat(later.isValid()).as("a new hold after a loss starts valid").isTrue();
        }
    }

    @Test
    void releaseFindsALostMarkerEvenBeforeTheHeartbeat() throws Exception {
        try (FileLockRegistry slow = FileLockRegistry.builder(dir.resolve("slow")).type(LockType.SOFT)
                .softHeartbeat(Duration.ofMinutes(1)).softLease(Duration.ofMinutes(3)).build()) {
            Path marker = slow.diagnostics().lockFile("x");
            FileLockHold hold = slow.acquire("x", Duration.ZERO);
            Files.delete(marker);
            writeMarker(marker, "778\nhost-c\n1\n");
            hold.close();
            assertThat(Files.readString(marker)).isEqualTo("778\nhost-c\n1\n");
            assertThat(slow.diagnostics().lostHolds()).isEqualTo(1);
        }
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
