package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import io.github.filelock.internal.LockSpace;
import io.github.filelock.internal.VirtualThreads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2,000 virtual threads contend for 50 names that a child JVM holds: none of them ever makes a blocking call into the
 * backend (counted through the engine's test hooks), the wait threads stay within the bound, and every one of them
 * gets its lock once the child lets go. An async hold that had to wait is delivered on a virtual thread.
 */
@Tag("jdk25")
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "needs virtual threads: mvn -P jdk25 runs it on Temurin 25")
@Timeout(300)
class VirtualThreadContentionTest {

    private static final int THREADS = 2_000;
    private static final int NAMES = 50;

    @TempDir
    Path dir;

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @Test
    void twoThousandVirtualThreadsOnFiftyNamesNeverBlockInTheBackendAndAllGetTheirLock() throws Exception {
        ChildProcess holder = ManyHolderChild.startHolding(children, dir, "n", NAMES);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int platformBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        try (WaitProbe probe = new WaitProbe(); FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            ThreadFactory virtual = VirtualThreads.factory("contender-");
            CountDownLatch done = new CountDownLatch(THREADS);
            AtomicInteger granted = new AtomicInteger();
            AtomicIntegerArray inside = new AtomicIntegerArray(NAMES);
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < THREADS; i++) {
                int name = i % NAMES;
                virtual.newThread(() -> {
                    try (FileLockHold hold = registry.acquire("n" + name, Duration.ofMinutes(3))) {
                        if (inside.incrementAndGet(name) != 1) {
                            failures.add(new AssertionError("two holders of n" + name + " at once"));
                        }
                        inside.decrementAndGet(name);
                        granted.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        done.countDown();
                    }
                }).start();
            }
            Eventually.await("all " + THREADS + " virtual threads waiting", Duration.ofMinutes(1),
                    () -> registry.diagnostics().waiters().size() == THREADS,
                    () -> registry.diagnostics().waiters().size() + " waiting, blocking calls on virtual threads "
                            + probe.blockingOnVirtualThreads + ", failures " + failures);
            int blockedWhileHeld = probe.blockingCalls.get();
            int platformWhileHeld = threads.getThreadCount();

            ManyHolderChild.release(holder);
            assertThat(done.await(3, TimeUnit.MINUTES)).as("all callers done").isTrue();
            assertThat(failures).isEmpty();
            assertThat(granted).hasValue(THREADS);
            assertThat(probe.blockingOnVirtualThreads).as("blocking backend calls on virtual threads").hasValue(0);
            int bound = LockSpace.DEFAULT_MAX_WAIT_THREADS;
            assertThat(probe.peakBlocked.get()).as("threads blocked in waits at once").isLessThanOrEqualTo(bound);
            if (NAMES > bound) {
                assertThat(probe.polls.get()).as("waits beyond the bound polled").isPositive();
            }
            System.out.printf("[vthreads] %d virtual threads on %d names held by another process: %d blocking"
                    + " backend calls on virtual threads; %d waits blocked in wait threads while held (bound %d, peak"
                    + " %d at once), %d polls; platform threads %d before, %d while all waited, peak %d%n", THREADS,
                    NAMES, probe.blockingOnVirtualThreads.get(), blockedWhileHeld, bound, probe.peakBlocked.get(),
                    probe.polls.get(), platformBefore, platformWhileHeld, threads.getPeakThreadCount());
        }
    }

    @Test
    void anAsyncHoldThatHadToWaitIsDeliveredOnAVirtualThread() throws Exception {
        ChildProcess holder = HolderChild.startHolding(children, dir, "async", LockType.FLOCK);
        try (FileLockRegistry registry = FileLockRegistry.builder(dir).build()) {
            CompletableFuture<Boolean> deliveredOnVirtual = registry
                    .acquireAsync("async", LockMode.EXCLUSIVE, Duration.ofMinutes(1)).thenApply(hold -> {
                        try (hold) {
                            return VirtualThreads.isVirtual(Thread.currentThread());
                        }
                    });
            HolderChild.release(holder);
            assertThat(deliveredOnVirtual.get(30, TimeUnit.SECONDS)).as("the delivery thread is virtual").isTrue();
        }
    }
}
