package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockType;
import io.github.filelock.fuse.FuseMount;
import io.github.filelock.internal.flock.FlockBackend;
import io.github.filelock.internal.posix.InterruptSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timeout must hold on every file system flock works on. On a FUSE file system whose daemon serves flock itself
 * (cluster and network file systems do), a blocking flock waits in the daemon, and a signal does not end it unless
 * the daemon answers FUSE interrupts, which libfuse2 file systems do not by default. A caller blocked in flock there
 * cannot be stopped by the NIO signal; a caller parked on a helper thread's wait can.
 */
@Timeout(180)
class CallerWaitOnFuseTest {

    private static final Duration SOON = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    private FuseMount fuse;
    private FileLockRegistry registry;

    @BeforeEach
    void mount() throws Exception {
        assumeTrue(FlockInteropTest.onPath("flock"), "needs flock(1)");
        fuse = FuseMount.start(tmp, "flockfs.py");
        registry = FileLockRegistry.builder(fuse.mount().resolve("locks")).type(LockType.FLOCK).build();
    }

    @AfterEach
    void unmount() throws Exception {
        FlockBackend.useSignalForTests(null);
        if (registry != null) {
            registry.close();
        }
        if (fuse != null) {
            fuse.close();
        }
    }

    @Test
    void aTimedWaitInAHelperThreadEndsAtItsDeadline() throws Exception {
        FlockBackend.useSignalForTests(InterruptSignal.check(40)); // no handler: the check fails, helper threads wait
        assertTimeoutHolds("h");
    }

    @Test
    void aTimedWaitInTheCallersThreadEndsAtItsDeadline() throws Exception {
        assertThat(FlockBackend.waitPath()).startsWith("caller thread");
        assertTimeoutHolds("c");
    }

    private void assertTimeoutHolds(String name) throws Exception {
        Path file = registry.diagnostics().lockFile(name);
        registry.tryAcquire(name).ifPresent(FileLockHold::close); // creates the lock file
        ChildProcess holder = children.command("flock", "-x", file.toString(), "-c", "echo HELD; read line");
        holder.awaitLine("HELD", Duration.ofSeconds(10));

        CompletableFuture<Object> caller = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try (FileLockHold hold = registry.acquire(name, Duration.ofMillis(300))) {
                caller.complete("held");
            } catch (RuntimeException e) {
                caller.complete(e);
            }
        }, "caller-" + name);
        thread.start();
        try {
            Object outcome = caller.get(SOON.toSeconds(), TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(FileLockTimeoutException.class);
        } catch (TimeoutException e) {
            throw new AssertionError("acquire(300 ms) has not returned after " + SOON + " (in flock: "
                    + InFlock.blocked(thread) + ")", e);
        } finally {
            holder.send("go"); // lets a caller still blocked have the lock, so the thread ends
            thread.join(SOON.toMillis());
        }
    }
}
