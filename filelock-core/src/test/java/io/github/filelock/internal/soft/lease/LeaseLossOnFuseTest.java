package io.github.filelock.internal.soft.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.fuse.FuseMount;
import io.github.filelock.internal.LogCapture;
import io.github.filelock.internal.TestHooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loss detection of {@code soft-lease} on a file system that misbehaves as NFS does: a loopback FUSE mount
 * ({@code estalefs.py}) that answers ESTALE for the marker on demand, or reports one inode number for whatever file is
 * at the marker's path (a server that reused a freed inode). A real NFS mount is not possible here: this kernel has
 * neither the NFS client nor nfsd. Skipped where FUSE cannot be mounted (no /dev/fuse, not root, no python3-fusepy).
 */
class LeaseLossOnFuseTest {

    private static final String MARKER = "shared.lock";

    @TempDir
    Path tmp;
    Path backing;
    Path mount;
    FuseMount fuse;
    LogCapture log;
    FileLockRegistry locks;
    final AtomicInteger beats = new AtomicInteger();

    @BeforeEach
    void mount() throws Exception {
        fuse = FuseMount.start(tmp, "estalefs.py");
        backing = fuse.backing();
        mount = fuse.mount();
        log = new LogCapture();
        TestHooks.install((point, subject) -> {
            if (point.equals("LeaseSlot.beat")) {
                beats.incrementAndGet();
            }
        });
    }

    @AfterEach
    void unmount() throws Exception {
        TestHooks.install(null);
        if (locks != null) {
            locks.close();
        }
        if (log != null) {
            log.close();
        }
        if (fuse != null) {
            fuse.close();
        }
    }

    @Test
    void estaleForAFewBeatsIsRiddenOutAndTheHoldStaysValid() throws Exception {
        locks = registry(Duration.ofSeconds(3), Duration.ofMillis(300));
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            Files.writeString(backing.resolve(".estale"), MARKER);
            awaitBeats(4); // at least three beats failed with ESTALE, well within lease - heartbeat (2.7 s)
            Files.delete(backing.resolve(".estale"));
            awaitBeats(2);
            assertThat(hold.isValid()).isTrue();
            assertThat(locks.diagnostics().lostHolds()).isZero();
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("could not be refreshed")
                    .contains("retrying at the next heartbeat"));
        }
        assertThat(mount.resolve("locks").resolve(MARKER)).as("released, as it was provably ours").doesNotExist();
    }

    @Test
    void refreshesFailingForLongerThanLeaseMinusHeartbeatLoseTheHold() throws Exception {
        locks = registry(Duration.ofMillis(1500), Duration.ofMillis(300));
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            awaitBeats(1);
            long failingSince = System.nanoTime();
            Files.writeString(backing.resolve(".estale"), MARKER);
            awaitTrue(() -> !hold.isValid(), "the hold is declared lost");
            assertThat(Duration.ofNanos(System.nanoTime() - failingSince)).as("not before lease - heartbeat"
                    + " (1.2 s) minus the one beat that may have succeeded before ESTALE began")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("[refresh-failed]"));
            Files.delete(backing.resolve(".estale"));
        }
        assertThat(mount.resolve("locks").resolve(MARKER)).as("still provably ours, so removed").doesNotExist();
    }

    @Test
    void aSuccessorOnTheSameInodeNumberIsToldApartByItsTokenAtRelease() throws Exception {
        locks = registry(Duration.ofSeconds(30), Duration.ofSeconds(10)); // no beat during the test
        Files.writeString(backing.resolve(".sameino"), MARKER);
        String successor;
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            successor = replaceBySuccessor();
            assertThat(Files.getAttribute(mount.resolve("locks").resolve(MARKER), "unix:ino")).isEqualTo(4242L);
        }
        assertThat(Files.readString(backing.resolve("locks").resolve(MARKER))).as("the successor's marker is kept")
                .isEqualTo(successor);
        assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
    }

    @Test
    void aSuccessorOnTheSameInodeNumberIsToldApartByItsTokenAtTheHeartbeat() throws Exception {
        locks = registry(Duration.ofSeconds(3), Duration.ofMillis(300));
        Files.writeString(backing.resolve(".sameino"), MARKER);
        String successor;
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            successor = replaceBySuccessor();
            Path theirs = backing.resolve("locks").resolve(MARKER);
            FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
            Files.setLastModifiedTime(theirs, old);
            awaitTrue(() -> !hold.isValid(), "the heartbeat finds the marker replaced");
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("[owner-changed]"));
            // identity first: a refresh through this FUSE file system goes by path, and would have touched theirs
            assertThat(Files.getLastModifiedTime(theirs).toMillis()).as("their marker was never refreshed by us")
                    .isEqualTo(old.toMillis());
        }
        assertThat(Files.readString(backing.resolve("locks").resolve(MARKER))).isEqualTo(successor);
        assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
    }

    // What another host does after our lease ran out: break our marker and publish its own, at the backing store.
    private String replaceBySuccessor() throws Exception {
        Path file = backing.resolve("locks").resolve(MARKER);
        String ours = Files.readString(file);
        Files.delete(file);
        String theirs = ours.replaceAll("pid=\\d+", "pid=4321").replaceAll("host=.*", "host=other-host")
                .replaceAll("token=[0-9a-f]+", "token=" + "ab".repeat(16));
        Files.writeString(file, theirs);
        return theirs;
    }

    private FileLockRegistry registry(Duration lease, Duration heartbeat) {
        return FileLockRegistry.builder(mount.resolve("locks")).type(LockType.SOFT_LEASE).softLease(lease)
                .softHeartbeat(heartbeat).build();
    }

    private void awaitBeats(int more) throws InterruptedException {
        int target = beats.get() + more;
        awaitTrue(() -> beats.get() >= target, more + " more heartbeats");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
