package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

/** Timeouts, interrupts and fairness among the threads of one JVM, and two registries on one directory. */
class WaitingTest extends RegistryWithProcesses {

    @Test
    void zeroTimeoutMakesOneAttemptAndTheTimeoutNamesTheHoldingThread() throws Exception {
        Holder holder = Holder.hold(locks, "embeddings", "scheduling-1");
        try {
            assertThat(locks.tryAcquire("embeddings")).isEmpty();
            assertThatThrownBy(() -> locks.acquire("embeddings", Duration.ZERO))
                    .isInstanceOf(FileLockTimeoutException.class)
                    .hasMessageContaining("'embeddings'")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("thread scheduling-1");
            FileLockTimeoutException timeout = catchTimeout(() -> locks.acquire("embeddings", Duration.ofMillis(100)));
            assertThat(timeout.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(timeout.holder()).get().extracting(LockHolder::thread).isEqualTo(Optional.of("scheduling-1"));
            assertThat(timeout.file()).isEqualTo(locks.diagnostics().lockFile("embeddings"));
        } finally {
            holder.release();
        }
        assertThat(locks.tryAcquire("embeddings")).hasValueSatisfying(FileLockHold::close);
    }

    @Test
    void anInterruptedWaiterStopsKeepsItsInterruptAndLeavesNothingHeld() throws Exception {
        Holder holder = Holder.hold(locks, "x", "holder");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                locks.acquire("x", Duration.ofMinutes(5));
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                stillInterrupted.set(stillInterrupted.get() && locks.holdCount("x") == 0);
            }
        });
        waiter.start();
        awaitWaiters(1);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(FileLockInterruptedException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(stillInterrupted.get()).as("interrupt status kept, nothing held").isTrue();
        assertThat(locks.diagnostics().waiters()).isEmpty();
        holder.release();
        assertThat(locks.tryAcquire("x")).hasValueSatisfying(FileLockHold::close);
    }

    @Test
    void lockOfTheLockViewQueuedInTheJvmWaitsOnThroughAnInterruptAndKeepsIt() throws Exception {
        Holder holder = Holder.hold(locks, "x", "holder");
        AtomicReference<Boolean> heldAndInterrupted = new AtomicReference<>(false);
        Thread waiter = new Thread(() -> {
            Lock lock = locks.obtain("x");
            lock.lock(); // Lock.lock() is not interruptible: an interrupt must neither end nor lose the wait
            try {
                heldAndInterrupted.set(Thread.currentThread().isInterrupted() && locks.holdCount("x") == 1);
            } finally {
                lock.unlock();
            }
        }, "uninterruptible");
        waiter.start();
        awaitWaiters(1);
        awaitParked(waiter);
        waiter.interrupt();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.isInterrupted()) { // the wait takes the interrupt in (to give it back later) and parks again
            assertThat(System.nanoTime()).as("interrupt taken in time").isLessThan(deadline);
            Thread.sleep(1);
        }
        awaitParked(waiter);
        assertThat(locks.diagnostics().waiters()).as("still queued after the interrupt").hasSize(1);
        holder.release();
        waiter.join(10_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(heldAndInterrupted.get()).as("got the lock, interrupt status given back").isTrue();
    }

    @Test
    void aWaiterInterruptedWhileTheKernelBlocksLeavesTheLockFreeWhenTheOtherProcessLetsGo() throws Exception {
        Path file = locks.diagnostics().lockFile("shared");
        locks.tryAcquire("shared").orElseThrow().close(); // create it with our permissions
        Process flock = start("flock", "-x", file.toString(), "-c", "echo HELD; sleep 1.5");
        assertThat(flock.inputReader().readLine()).isEqualTo("HELD");

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                locks.acquire("shared", Duration.ofMinutes(5));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        waiter.start();
        awaitWaiters(1);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(thrown.get()).isInstanceOf(FileLockInterruptedException.class);

        assertThat(flock.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // The kernel-side wait that the interrupted thread left behind must not keep the lock for nobody.
        Process probe = start("flock", "-w", "5", file.toString(), "true");
        assertThat(probe.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as("flock(1) gets the lock after the abandoned wait").isZero();
        assertThat(locks.tryAcquire("shared")).hasValueSatisfying(FileLockHold::close);
    }

    @Test
    void aTimedOutWaiterAgainstAnotherProcessLeavesTheLockFreeAfterwards() throws Exception {
        Path file = locks.diagnostics().lockFile("shared");
        locks.tryAcquire("shared").orElseThrow().close();
        Process flock = start("flock", "-x", file.toString(), "-c", "echo HELD; sleep 1");
        assertThat(flock.inputReader().readLine()).isEqualTo("HELD");

        FileLockTimeoutException timeout = catchTimeout(() -> locks.acquire("shared", Duration.ofMillis(100)));
        assertThat(timeout.holderPid()).hasValueSatisfying(pid -> assertThat(pid).isPositive());
        assertThat(timeout).hasMessageContaining("held by pid");

        assertThat(flock.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Process probe = start("flock", "-w", "5", file.toString(), "true");
        assertThat(probe.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).isZero();
    }

    @Test
    void threadsOfOneJvmGetTheLockInArrivalOrder() throws Exception {
        Holder holder = Holder.hold(locks, "fair", "holder");
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try (FileLockHold hold = locks.acquire("fair", Duration.ofSeconds(30))) {
                    order.add(id);
                }
            });
            threads.add(t);
            t.start();
            // Arrival order is the order in which they queued: a waiter registers before it queues, so also
            // wait until it is parked in the gate's queue before the next one starts.
            awaitWaiters(i + 1);
            awaitParked(t);
        }
        holder.release();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void twoRegistriesOnOneDirectoryExcludeEachOtherWithoutOverlapErrors() throws Exception {
        try (FileLockRegistry second = FileLockRegistry.builder(dir.resolve(".").resolve("../" + dir.getFileName()))
                .build()) {
            Holder holder = Holder.hold(locks, "x", "first");
            try {
                assertThat(CompletableFuture.supplyAsync(() -> second.tryAcquire("x").isPresent()).get()).isFalse();
                assertThat(second.diagnostics().inspect("x").state()).isEqualTo(LockState.HELD_BY_THIS_PROCESS);
            } finally {
                holder.release();
            }
            try (FileLockHold hold = second.acquire("x", Duration.ofSeconds(1))) {
                assertThat(CompletableFuture.supplyAsync(() -> locks.tryAcquire("x").isPresent()).get()).isFalse();
            }
        }
        assertThat(locks.tryAcquire("x")).hasValueSatisfying(FileLockHold::close);
    }

    @Test
    void theRegistryListsHeldLocksAndWaiters() throws Exception {
        Holder holder = Holder.hold(locks, "report", "report-job");
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(
                () -> locks.acquire("report", Duration.ofSeconds(30)).close());
        awaitWaiters(1);
        assertThat(locks.diagnostics().localHolds()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("report");
            assertThat(h.thread()).isEqualTo("report-job");
            assertThat(h.holdCount()).isEqualTo(1);
        });
        assertThat(locks.diagnostics().waiters()).singleElement().extracting(LockWaiter::name).isEqualTo("report");
        holder.release();
        waiter.get(10, TimeUnit.SECONDS);
        assertThat(locks.diagnostics().localHolds()).isEmpty();
        assertThat(locks.diagnostics().waiters()).isEmpty();
    }

    private void awaitWaiters(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (locks.diagnostics().waiters().size() < count) {
            assertThat(System.nanoTime()).as("waiters registered in time").isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    static void awaitParked(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("%s parked in time", t.getName()).isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    private static FileLockTimeoutException catchTimeout(Runnable action) {
        try {
            action.run();
        } catch (FileLockTimeoutException e) {
            return e;
        }
        throw new AssertionError("expected a FileLockTimeoutException");
    }

    /** A thread with a given name that holds a lock until told to let go. */
    static final class Holder {
        private final CountDownLatch release = new CountDownLatch(1);
        private final Thread thread;

        private Holder(Thread thread) {
            this.thread = thread;
        }

        static Holder hold(FileLockRegistry locks, String name, String threadName) throws InterruptedException {
            CountDownLatch held = new CountDownLatch(1);
            Holder[] self = new Holder[1];
            Thread t = new Thread(() -> {
                try (FileLockHold hold = locks.acquire(name, Duration.ofSeconds(10))) {
                    held.countDown();
                    self[0].release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, threadName);
            self[0] = new Holder(t);
            t.start();
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            return self[0];
        }

        void release() throws InterruptedException {
            release.countDown();
            thread.join(10_000);
        }
    }
}
