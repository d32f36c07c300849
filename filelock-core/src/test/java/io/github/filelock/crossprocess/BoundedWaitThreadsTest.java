package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.flock.FlockBackend;
import io.github.filelock.internal.posix.InterruptSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound on wait threads ({@code maxWaitThreads}): waits beyond it are polled without blocking, still end with the
 * lock, end when everybody left, and move onto a wait thread once one is free. Locks are held by child JVMs.
 */
@Timeout(120)
class BoundedWaitThreadsTest {

    private static final Duration SOON = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    private final WaitProbe probe = new WaitProbe();
    private FileLockRegistry registry;

    // The bound is on helper threads: a platform caller of flock blocks in its own thread (CallerWaitSignalTest).
    // A real check of a signal without handler fails, and turns these waits back into helper-thread waits.
    @BeforeEach
    void waitInHelperThreads() {
        FlockBackend.useSignalForTests(InterruptSignal.check(40));
    }

    @AfterEach
    void close() {
        FlockBackend.useSignalForTests(null);
        probe.close();
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void waitsBeyondTheBoundArePolledAndEveryCallerGetsItsLock() throws Exception {
        registry = FileLockRegistry.builder(dir).maxWaitThreads(2).build();
        ChildProcess holder = ManyHolderChild.startHolding(children, dir, "b", 6);
        List<CompletableFuture<Boolean>> callers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = "b" + i;
            callers.add(CompletableFuture.supplyAsync(() -> {
                try (FileLockHold hold = registry.acquire(name, Duration.ofSeconds(60))) {
                    return hold.isValid();
                }
            }, runnable -> new Thread(runnable, "caller-" + name).start()));
        }
        // A wait thread may start blocking after the polls began (on a loaded machine): wait for both.
        Eventually.await("6 waiters, 2 blocked and 4 polled", SOON, () -> registry.diagnostics().waiters().size() == 6
                && probe.polls.get() >= 4 && probe.blockingCalls.get() >= 2, this::state);
        assertThat(probe.blockingCalls).as("threads blocked in LockSlot.lock").hasValue(2);

        ManyHolderChild.release(holder);
        for (CompletableFuture<Boolean> caller : callers) {
            assertThat(caller.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(probe.peakBlocked).as("most threads blocked in waits at once").hasValueLessThanOrEqualTo(2);
    }

    @Test
    void aCallerThatTimesOutOfAPolledWaitLeavesNothingBehind() throws Exception {
        registry = FileLockRegistry.builder(dir).maxWaitThreads(1).build();
        ChildProcess holder = ManyHolderChild.startHolding(children, dir, "p", 2);
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
            try (FileLockHold hold = registry.acquire("p0", Duration.ofSeconds(60))) {
                return hold.isValid();
            }
        }, runnable -> new Thread(runnable, "caller-p0").start());
        Eventually.await("p0's wait blocks", SOON, () -> probe.blockingCalls.get() == 1, this::state);

        assertThat(registry.tryAcquire("p1", LockMode.EXCLUSIVE, Duration.ofMillis(200))).isEmpty();
        assertThat(probe.polls.get()).as("p1 was polled, the one wait thread being taken").isPositive();
        ManyHolderChild.release(holder);
        assertThat(blocked.get(30, TimeUnit.SECONDS)).isTrue();
        // The left wait ends at its next poll, up to 50 ms later: a caller with a timeout gets the lock either way.
        Optional<FileLockHold> p1 = registry.tryAcquire("p1", LockMode.EXCLUSIVE, Duration.ofSeconds(5));
        assertThat(p1).as("nothing of the left wait holds p1").isPresent();
        p1.get().close();
        assertThat(registry.diagnostics().waiters()).isEmpty();
    }

    @Test
    void aPolledWaitMovesOntoAWaitThreadOnceOneIsFree() throws Exception {
        registry = FileLockRegistry.builder(dir).maxWaitThreads(1).build();
        ChildProcess first = HolderChild.startHolding(children, dir, "h0", LockType.FLOCK);
        ChildProcess second = HolderChild.startHolding(children, dir, "h1", LockType.FLOCK);
        CompletableFuture<Boolean> onThread = acquireInThread("h0");
        Eventually.await("h0's wait blocks", SOON, () -> probe.blockingCalls.get() == 1, this::state);
        CompletableFuture<Boolean> polled = acquireInThread("h1");
        Eventually.await("h1's wait is polled", SOON, () -> probe.polls.get() > 0, this::state);

        HolderChild.release(first);
        assertThat(onThread.get(30, TimeUnit.SECONDS)).isTrue();
        Eventually.await("h1's wait blocks in the freed wait thread", SOON, () -> probe.blockingCalls.get() == 2,
                this::state);
        HolderChild.release(second);
        assertThat(polled.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.peakBlocked).hasValue(1);
    }

    @Test
    void aReaderLeavingASharedWaitLeavesTheOtherReaderWaiting() throws Exception {
        registry = FileLockRegistry.builder(dir).build();
        ChildProcess holder = HolderChild.startHolding(children, dir, "r", LockType.FLOCK);
        CompletableFuture<Boolean> staying = CompletableFuture.supplyAsync(() -> {
            try (FileLockHold hold = registry.acquire("r", LockMode.SHARED, Duration.ofSeconds(60))) {
                return hold.isValid();
            }
        }, runnable -> new Thread(runnable, "staying-reader").start());
        Eventually.await("the first reader's wait blocks", SOON, () -> probe.blockingCalls.get() == 1, this::state);

        // Joins the same shared wait, then leaves it while the first reader still counts on it.
        assertThat(registry.tryAcquire("r", LockMode.SHARED, Duration.ofMillis(200))).isEmpty();
        HolderChild.release(holder);
        assertThat(staying.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.blockingCalls).as("one wait for both readers").hasValue(1);
    }

    @Test
    void callersBlockedInTheirOwnThreadsTakeNoWaitThreadAndAreNeverPolled() throws Exception {
        FlockBackend.useSignalForTests(null); // the real check: waits in the callers' threads
        registry = FileLockRegistry.builder(dir).maxWaitThreads(1).build();
        ChildProcess holder = ManyHolderChild.startHolding(children, dir, "c", 4);
        List<CompletableFuture<Boolean>> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            callers.add(acquireInThread("c" + i));
        }
        Eventually.await("4 callers block", SOON, () -> probe.blockingCalls.get() == 4, this::state);
        assertThat(probe.polls).as("nothing polled beyond the bound of 1").hasValue(0);
        assertThat(registry.diagnostics().waiters()).hasSize(4);

        ManyHolderChild.release(holder);
        for (CompletableFuture<Boolean> caller : callers) {
            assertThat(caller.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private CompletableFuture<Boolean> acquireInThread(String name) {
        return CompletableFuture.supplyAsync(() -> {
            try (FileLockHold hold = registry.acquire(name, Duration.ofSeconds(60))) {
                return hold.isValid();
            }
        }, runnable -> new Thread(runnable, "caller-" + name).start());
    }

    private String state() {
        return "waiters " + registry.diagnostics().waiters() + ", blocking calls " + probe.blockingCalls
                + ", polls " + probe.polls;
    }
}
