package io.github.filelock.internal.soft.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LeaseSettingsMismatchException;
import io.github.filelock.LockType;
import io.github.filelock.crossprocess.ChildProcess;
import io.github.filelock.crossprocess.ChildProcesses;
import io.github.filelock.crossprocess.PythonFilelock;
import io.github.filelock.internal.TestHooks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code soft-lease} against the real Python filelock's {@code SoftFileLease} (3.30+, see {@link PythonFilelock}):
 * each excludes the other, each breaks the other's marker once its lease ran out (and not before), and a lease of
 * another duration is refused on both sides.
 */
class SoftLeasePythonInteropTest {

    // try <path> <lease s> <timeout s>: one acquisition; hold <path> <lease s> <timeout s>: hold until a line on stdin.
    static final String SCRIPT = """
            import os, sys
            from filelock import SoftFileLease, Timeout, LeaseSettingsMismatch
            command, path, lease, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
            lock = SoftFileLease(path, lease_duration=lease, thread_local=False,
                                 on_compromise=lambda c: print("COMPROMISED", c.reason, flush=True))
            try:
                lock.acquire(timeout=timeout, poll_interval=0.02)
            except Timeout:
                print("BUSY", flush=True)
                sys.exit(0)
            except LeaseSettingsMismatch as e:
                print("MISMATCH", e, flush=True)
                sys.exit(0)
            print("HELD", lock.token, flush=True)
            if command == "hold":
                sys.stdin.readline()
            lock.release()
            print("RELEASED", flush=True)
            """;

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;
    PythonFilelock python;
    FileLockRegistry locks;
    Path marker;

    @BeforeEach
    void setUp() {
        python = PythonFilelock.require();
        locks = leaseRegistry(Duration.ofMillis(2000), Duration.ofMillis(500));
        marker = locks.diagnostics().lockFile("shared");
    }

    @AfterEach
    void tearDown() {
        TestHooks.install(null);
        if (locks != null) { // null when no Python filelock is found and the test is skipped
            locks.close();
        }
    }

    @Test
    void aJavaLeaseExcludesPythonAndPythonReadsItsRecord() throws Exception {
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            String content = Files.readString(marker);
            assertThat(content).startsWith("filelock/2\npid=" + ProcessHandle.current().pid() + "\n")
                    .contains("\nmode=lease\n").contains("\nduration=2.0\n").containsPattern("\ntoken=[0-9a-f]{32}\n");
            assertThat(py("try", 2.0, 0.3).awaitLine("", WAIT)).isEqualTo("BUSY");
            ChildProcess owner = python.start(children, "from filelock import SoftFileLease; import sys;"
                    + " print(SoftFileLease(sys.argv[1], lease_duration=2.0).owner)", marker);
            assertThat(owner.awaitLine("OwnerRecord", WAIT)).contains("pid=" + ProcessHandle.current().pid())
                    .contains("mode='lease'").contains("lease_duration=2.0");
        }
        assertThat(marker).doesNotExist();
        assertThat(py("try", 2.0, 5).awaitLine("", WAIT)).startsWith("HELD");
    }

    @Test
    void aPythonLeaseThatKeepsBeatingExcludesJavaPastItsLeaseUntilReleased() throws Exception {
        ChildProcess holder = py("hold", 2.0, 5);
        holder.awaitLine("HELD", WAIT);
        Instant until = Instant.now().plusMillis(3500); // longer than the lease: Python's heartbeat keeps it live
        while (Instant.now().isBefore(until)) {
            assertThat(locks.tryAcquire("shared")).as("held by a live, refreshing Python lease").isEmpty();
            Thread.sleep(100);
        }
        holder.send("");
        holder.awaitLine("RELEASED", WAIT);
        locks.acquire("shared", Duration.ofSeconds(5)).close();
        assertThat(holder.transcript()).noneMatch(line -> line.startsWith("COMPROMISED"));
    }

    @Test
    void aStoppedPythonLeaseIsBrokenAfterItsLeaseAndNotBefore() throws Exception {
        ChildProcess holder = py("hold", 2.0, 5);
        holder.awaitLine("HELD", WAIT);
        signal("STOP", holder.pid()); // alive but no longer beating: only the lease can free the name
        Instant lastRefresh = Files.getLastModifiedTime(marker).toInstant();
        int refused = 0;
        Optional<FileLockHold> taken;
        while ((taken = locks.tryAcquire("shared")).isEmpty()) {
            refused++;
            Thread.sleep(50);
        }
        Instant at = Instant.now();
        try (FileLockHold hold = taken.get()) {
            assertThat(refused).as("refused while the lease ran").isGreaterThan(0);
            // the python process may have refreshed once more between HELD and the STOP: the mtime read after the
            // STOP is its last refresh
            assertThat(Duration.between(lastRefresh, at)).as("taken only after the lease of 2 s")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2000));
            signal("CONT", holder.pid());
            holder.awaitLine("COMPROMISED", WAIT);
            assertThat(holder.transcript()).anyMatch(l -> l.equals("COMPROMISED owner-changed"));
            holder.send("");
            holder.awaitLine("RELEASED", WAIT);
            assertThat(Files.readString(marker)).as("Python's release left Java's marker alone")
                    .contains("pid=" + ProcessHandle.current().pid());
            assertThat(hold.isValid()).isTrue();
        }
    }

    @Test
    void pythonBreaksAJavaLeaseWhoseHeartbeatStalledAndJavaSeesItLost() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        TestHooks.install((point, subject) -> {
            if (point.equals("LeaseSlot.beat") && stalled.getCount() > 0) {
                stalled.countDown();
                await(resume); // the heartbeat stalls as in a long GC pause
            }
        });
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
            ChildProcess successor = py("hold", 2.0, 10);
            successor.awaitLine("HELD", WAIT); // after the lease of 2 s from Java's last refresh
            assertThat(hold.isValid()).as("nobody told the holder yet").isTrue();
            resume.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hold.isValid() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(hold.isValid()).as("the next beat found the marker replaced").isFalse();
            assertThat(locks.diagnostics().lostHolds()).isEqualTo(1);
            hold.close();
            assertThat(Files.readString(marker)).as("Java's release left Python's marker alone")
                    .contains("pid=" + successor.pid());
            successor.send("");
            successor.awaitLine("RELEASED", WAIT);
        }
    }

    @Test
    void javaRefusesAPythonLeaseOfAnotherDuration() throws Exception {
        ChildProcess holder = py("hold", 5.0, 5);
        holder.awaitLine("HELD", WAIT);
        assertThatThrownBy(() -> locks.tryAcquire("shared"))
                .isInstanceOf(LeaseSettingsMismatchException.class)
                .hasMessageContaining("lease of 5.0 s").hasMessageContaining("uses a lease of 2.0 s")
                .hasMessageContaining("pid " + holder.pid());
        assertThatThrownBy(() -> locks.acquire("shared", Duration.ofSeconds(1)))
                .hasStackTraceContaining("LeaseSettingsMismatchException");
        holder.send("");
        holder.awaitLine("RELEASED", WAIT);
    }

    @Test
    void pythonRefusesAJavaLeaseOfAnotherDuration() throws Exception {
        try (FileLockHold hold = locks.acquire("shared", Duration.ZERO)) {
            assertThat(py("try", 5.0, 2).awaitLine("", WAIT)).startsWith("MISMATCH")
                    .contains("holds a lease of 2.0s but this contender configured 5.0s");
        }
    }

    private FileLockRegistry leaseRegistry(Duration lease, Duration heartbeat) {
        return FileLockRegistry.builder(dir.resolve("locks")).type(LockType.SOFT_LEASE).softLease(lease)
                .softHeartbeat(heartbeat).build();
    }

    private ChildProcess py(String command, double lease, double timeout) {
        return python.start(children, SCRIPT, command, marker, lease, timeout);
    }

    private static void signal(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
