package io.github.filelock.internal.soft.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockType;
import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import io.github.filelock.internal.TestHooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * soft-lease between JVMs: a killed holder's marker is broken at once (its pid is proof on this host), a stopped
 * holder's only after its lease, and that holder then learns its loss and leaves its successor's marker alone; and a
 * release that finds its marker replaced between its check and its removal puts the successor's back.
 */
class SoftLeaseCrossProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;
    FileLockRegistry locks;
    Path marker;

    @BeforeEach
    void setUp() {
        locks = FileLockRegistry.builder(dir).type(LockType.SOFT_LEASE).softLease(Duration.ofSeconds(2))
                .softHeartbeat(Duration.ofMillis(300)).build();
        marker = locks.diagnostics().lockFile("shared");
    }

    @AfterEach
    void tearDown() {
        TestHooks.install(null);
        locks.close();
    }

    @Test
    void aKilledHoldersLeaseIsBrokenAtOnce() throws Exception {
        Path apart = dir.resolve("long-lease"); // a directory of its own: one JVM has one lease per directory
        ChildProcess child = children.jvm(LeaseChild.class, apart, 60_000, 10_000);
        child.awaitLine("READY", WAIT);
        child.send("hold shared");
        child.awaitLine("HELD", WAIT);
        try (FileLockRegistry sameLease = FileLockRegistry.builder(apart)
                .type(LockType.SOFT_LEASE).softLease(Duration.ofSeconds(60)).softHeartbeat(Duration.ofSeconds(10))
                .build()) {
            assertThat(sameLease.tryAcquire("shared")).isEmpty();
            child.kill();
            child.awaitExit(WAIT);
            Instant killed = Instant.now();
            sameLease.acquire("shared", Duration.ofSeconds(10)).close();
            assertThat(Duration.between(killed, Instant.now())).as("its dead pid is proof: not the 60 s lease")
                    .isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aStoppedHoldersLeaseIsBrokenAfterItsLeaseAndTheHolderLearnsIt() throws Exception {
        ChildProcess child = child(Duration.ofSeconds(2));
        child.send("hold shared");
        child.awaitLine("HELD", WAIT);
        signal("STOP", child.pid());
        Instant lastRefresh = Files.getLastModifiedTime(marker).toInstant();
        int refused = 0;
        Optional<FileLockHold> taken;
        while ((taken = locks.tryAcquire("shared")).isEmpty()) {
            refused++;
            Thread.sleep(50);
        }
        try (FileLockHold hold = taken.get()) {
            assertThat(Duration.between(lastRefresh, Instant.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(refused).isPositive();
            signal("CONT", child.pid());
            child.awaitLine("LOST", WAIT);
            child.send("release");
            child.awaitLine("RELEASED", WAIT);
            assertThat(Files.readString(marker)).contains("pid=" + ProcessHandle.current().pid());
            assertThat(hold.isValid()).isTrue();
        }
    }

    @Test
    void aMarkerReplacedBetweenTheReleaseCheckAndItsRemovalIsPutBack() throws Exception {
        String successor = "filelock/2\npid=4321\nhost=other-host\nmode=lease\ntoken=" + "ab".repeat(16)
                + "\nduration=2.0\n";
        TestHooks.install((point, subject) -> {
            if (point.equals("LeaseSlot.unlock.judged")) {
                try { // a contender on another host broke ours just now and published its own
                    Files.delete(marker);
                    Files.writeString(marker, successor);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        locks.acquire("shared", Duration.ZERO).close();
        assertThat(Files.readString(marker)).isEqualTo(successor);
        assertThat(locks.diagnostics().lostHolds()).as("it was taken from us before the release").isEqualTo(1);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no file left aside").hasSize(1);
        }
    }

    private ChildProcess child(Duration lease) {
        ChildProcess child = children.jvm(LeaseChild.class, dir, lease.toMillis(), 300);
        child.awaitLine("READY", WAIT);
        return child;
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }
}
