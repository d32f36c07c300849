package io.github.filelock.internal.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.TestHooks;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code soft} type keeps Python filelock 3.32's {@code SoftFileLock} contract: it breaks a marker only on proof
 * that its holder is gone (same host: pid and start token), never by age; a malformed marker only once it is two
 * seconds old; never a {@code StrictSoftFileLock} sentinel; and it never deletes a marker that is not its own.
 */
class SoftFailClosedTest {

    static final String SENTINEL = "1\nfilelock-strict-v1\0\n0\n";

    @TempDir
    Path dir;
    FileLockRegistry locks;

    @BeforeEach
    void setUp() {
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT).build();
    }

    @AfterEach
    void tearDown() {
        TestHooks.install(null);
        locks.close();
    }

    /** The sentinel parses as pid 1 on host {@code filelock-strict-v1\0}: no holder, not to be shown as one. */
    @Test
    void aStrictSoftFileLockSentinelIsInspectedAsHeldByNobody() throws Exception {
        SoftLockTest.writeMarker(locks.diagnostics().lockFile("strict"), SENTINEL);
        io.github.filelock.LockStatus status = locks.diagnostics().inspect("strict");
        assertThat(status.state()).isEqualTo(io.github.filelock.LockState.HELD_BY_OTHER_PROCESS);
        assertThat(status.holder()).as("the sentinel names no holder").isEmpty();
    }

    @Test
    void aStrictSoftFileLockSentinelIsNeverBrokenAndTheErrorSaysWhatItIs() throws Exception {
        Path marker = locks.diagnostics().lockFile("strict");
        SoftLockTest.writeMarker(marker, SENTINEL);
        hoursOld(marker);
        assertThatThrownBy(() -> locks.acquire("strict", Duration.ofMillis(200)))
                .isInstanceOf(FileLockException.class)
                .hasMessageContaining("StrictSoftFileLock sentinel").hasMessageContaining("strict-soft");
        assertThat(Files.readString(marker)).isEqualTo(SENTINEL);
    }

    @Test
    void anotherHostsMarkerIsNeverBrokenByAgeEvenHoursOld() throws Exception {
        Path marker = locks.diagnostics().lockFile("shared-volume");
        String theirs = "4242\nbuild-agent-7\n" + SoftLockTest.startToken(1) + "\n";
        SoftLockTest.writeMarker(marker, theirs);
        hoursOld(marker);
        assertThat(locks.tryAcquire("shared-volume")).isEmpty();
        assertThat(Files.readString(marker)).isEqualTo(theirs);
    }

    @Test
    void anotherHostsTwoLineMarkerIsAHolderToo() throws Exception {
        Path marker = locks.diagnostics().lockFile("old-format");
        SoftLockTest.writeMarker(marker, " 4242\nbuild-agent-7\n");
        hoursOld(marker);
        assertThat(locks.tryAcquire("old-format")).isEmpty();
    }

    /** What Python 3.32's _parse_lock_holder rejects: broken once two seconds old, and not before. */
    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "4242\n", "4242\nhost\n1\nextra\n", "x\nhost\n", "0\nhost\n",
        "2147483648\nhost\n", "4242\nhost\nnot-a-token\n",
        "filelock/2\npid=4242\nhost=build-agent-7\nmode=lease\ntoken=ab\nduration=30.0\n"})
    void aMalformedMarkerIsBrokenOnceTwoSecondsOld(String content) throws Exception {
        Path marker = locks.diagnostics().lockFile("torn");
        SoftLockTest.writeMarker(marker, content);
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minusMillis(1000)));
        assertThat(locks.tryAcquire("torn")).as("a second old: perhaps being written").isEmpty();
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minusMillis(2500)));
        try (FileLockHold hold = locks.acquire("torn", Duration.ZERO)) {
            assertThat(Files.readString(marker)).startsWith(ProcessIdentity.PID + "\n");
        }
    }

    @Test
    void aNonUtf8MarkerIsMalformed() throws Exception {
        Path marker = locks.diagnostics().lockFile("binary");
        Files.write(marker, new byte[] {'4', '2', '\n', (byte) 0xff, (byte) 0xfe, '\n'});
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minusMillis(2500)));
        locks.acquire("binary", Duration.ZERO).close();
    }

    /**
     * Inode numbers are reused: after our marker was broken, a successor's marker may get the same inode. Writing the
     * successor's content into our inode stands for that; release must compare the content, not only the inode.
     */
    @Test
    void releaseLeavesASuccessorsMarkerThatHasOurInode() throws Exception {
        Path marker = locks.diagnostics().lockFile("reused-inode");
        FileLockHold hold = locks.acquire("reused-inode", Duration.ZERO);
        Object inode = Files.getAttribute(marker, "unix:ino");
        String successor = "4242\nbuild-agent-7\n1\n";
        Files.writeString(marker, successor); // in place: same inode
        assertThat(Files.getAttribute(marker, "unix:ino")).isEqualTo(inode);
        hold.close();
        assertThat(Files.readString(marker)).as("the successor's marker stays").isEqualTo(successor);
        assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
    }

    /** A failed removal leaves a marker naming this live process; this JVM must recognise it as its own orphan. */
    @Test
    void ourOwnMarkerLeftByAFailedReleaseIsClearedOnTheNextAcquire() throws Exception {
        SoftBackend backend = BreakRaceTest.backendOn(Files.createDirectory(dir.resolve("raw")));
        SoftSlot first = (SoftSlot) backend.openSlot("orphan", () -> { });
        assertThat(first.tryLock(LockMode.EXCLUSIVE)).isTrue();
        TestHooks.install((point, subject) -> {
            if (point.equals("OwnMarker.removing")) {
                throw new UncheckedIOException(new java.io.IOException("EIO (forced by the test)"));
            }
        });
        assertThatThrownBy(first::unlock).hasMessageContaining("EIO");
        TestHooks.install(null);
        Path marker = backend.fileOf("orphan");
        assertThat(Files.readString(marker)).as("left behind").startsWith(ProcessIdentity.PID + "\n");

        SoftSlot second = (SoftSlot) backend.openSlot("orphan", () -> { });
        assertThat(second.tryLock(LockMode.EXCLUSIVE)).as("our own orphan is cleared").isTrue();
        assertThat(backend.brokenMarkers()).isEqualTo(1);
        SoftSlot third = (SoftSlot) backend.openSlot("orphan", () -> { });
        assertThat(third.tryLock(LockMode.EXCLUSIVE)).as("a marker this JVM holds is not an orphan").isFalse();
        second.unlock();
        assertThat(marker).doesNotExist();
    }

    /** A break marker this JVM failed to remove names this live process too, and must not block breaking for good. */
    @Test
    void ourOwnOrphanedBreakMarkerIsClearedToo() throws Exception {
        Path marker = locks.diagnostics().lockFile("break-orphan");
        SoftLockTest.writeMarker(marker, BreakRaceTest.deadPid() + "\n" + SoftLockTest.hostname() + "\n1\n");
        Path breakMarker = Path.of(marker + ".break");
        SoftLockTest.writeMarker(breakMarker, ProcessIdentity.PID + "\n" + SoftLockTest.hostname() + "\n"
                + SoftLockTest.startToken(ProcessIdentity.PID) + "\n");
        try (FileLockHold hold = locks.acquire("break-orphan", Duration.ZERO)) {
            assertThat(Files.readString(marker)).startsWith(ProcessIdentity.PID + "\n");
        }
        assertThat(breakMarker).doesNotExist();
    }

    @Test
    void anOperatorBreakRemovesAnotherHostsMarkerAndNamesItsHolderButNeverTheSentinel() throws Exception {
        SoftBackend backend = BreakRaceTest.backendOn(Files.createDirectory(dir.resolve("raw")));
        Path marker = backend.fileOf("stuck");
        SoftLockTest.writeMarker(marker, "4242\nbuild-agent-7\n99\n");
        hoursOld(marker);
        assertThat(backend.breakLock("stuck")).get().satisfies(h -> {
            assertThat(h.pid()).isEqualTo(4242);
            assertThat(h.host()).isEqualTo("build-agent-7");
            assertThat(h.name()).contains("stuck");
        });
        assertThat(marker).doesNotExist();
        assertThat(backend.breakLock("stuck")).as("nothing left to break").isEmpty();

        SoftLockTest.writeMarker(marker, SENTINEL);
        assertThatThrownBy(() -> backend.breakLock("stuck")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("strict-soft").hasCauseInstanceOf(StrictSentinelException.class);
        assertThat(Files.readString(marker)).isEqualTo(SENTINEL);
    }

    static void hoursOld(Path marker) throws Exception {
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(Duration.ofHours(5))));
    }
}
