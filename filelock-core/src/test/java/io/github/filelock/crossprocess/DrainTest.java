package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockDrainingException;
import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LocalHold;
import io.github.filelock.LockMode;
import io.github.filelock.LockType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileLockRegistry#drain()}: every kind of waiter (threads in the in-JVM gate, a thread on the kernel's flock
 * wait behind another process, async callers on both) ends at once, as a timeout, whatever its own timeout; holders
 * keep running and {@code awaitReleased} sees them finish; locks kept for their minimum hold time are let go; a
 * second registry on the same directory is not drained.
 */
class DrainTest {

    private static final Duration LONG = Duration.ofSeconds(120); // a waiter that ends within seconds was drained

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;
    FileLockRegistry registry;

    @BeforeEach
    void open() {
        registry = FileLockRegistry.builder(dir).type(LockType.FLOCK).build();
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void drainingWakesEveryWaiterAtOnceAndWaitsForTheHolder() throws Exception {
        HolderChild.startHolding(children, dir, "elsewhere", LockType.FLOCK); // another process: a kernel wait
        FileLockHold running = registry.acquire("busy", Duration.ZERO); // this thread: an in-JVM gate wait

        List<Waiter> waiters = new ArrayList<>();
        waiters.add(Waiter.thread("gate-acquire", () -> registry.acquire("busy", LONG)));
        waiters.add(Waiter.thread("gate-try", () -> registry.tryAcquire("busy", LockMode.EXCLUSIVE, LONG)));
        waiters.add(Waiter.thread("kernel-forever", () -> registry.acquire("elsewhere")));
        CompletableFuture<FileLockHold> asyncGate = registry.acquireAsync("busy", LockMode.EXCLUSIVE, LONG);
        CompletableFuture<FileLockHold> asyncKernel = registry.acquireAsync("elsewhere", LockMode.EXCLUSIVE, LONG);
        awaitParked(waiters, 5);

        long drained = System.nanoTime();
        registry.drain();

        for (Waiter waiter : waiters) {
            waiter.thread.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(waiter.thread.isAlive()).as(waiter.thread.getName() + " still waits").isFalse();
        }
        assertThat(waiters.get(0).outcome).isInstanceOf(FileLockDrainingException.class);
        assertThat(((Throwable) waiters.get(0).outcome).getMessage()).contains("'busy'", "shutting down");
        assertThat(waiters.get(1).outcome).isEqualTo(Optional.empty());
        assertThat(waiters.get(2).outcome).isInstanceOf(FileLockDrainingException.class);
        assertThatThrownBy(() -> asyncGate.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(FileLockDrainingException.class);
        assertThatThrownBy(() -> asyncKernel.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(FileLockDrainingException.class);
        long woken = System.nanoTime() - drained;
        System.out.printf("drain woke 3 thread waiters and 2 async waiters within %.1f ms%n", woken / 1e6);
        assertThat(Duration.ofNanos(woken)).isLessThan(Duration.ofSeconds(10));

        // The holder goes on: it may nest, and the registry waits for it.
        try (FileLockHold nested = registry.acquire("busy", Duration.ZERO)) {
            assertThat(nested.isValid()).isTrue();
        }
        assertThat(registry.awaitReleased(Duration.ofMillis(50))).isFalse();
        running.close();
        assertThat(registry.awaitReleased(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void afterDrainingNewRequestsEndAtOnceAsTimeouts() throws Exception {
        registry.drain();
        assertThat(registry.isDraining()).isTrue();
        long start = System.nanoTime();
        assertThatThrownBy(() -> registry.acquire("free", LONG)).isInstanceOf(FileLockTimeoutException.class)
                .hasMessageContaining("shutting down");
        assertThat(registry.tryAcquire("free")).isEmpty();
        assertThat(registry.tryAcquire("free", LockMode.SHARED, LONG)).isEmpty();
        assertThatThrownBy(() -> registry.acquireAsync("free", LockMode.EXCLUSIVE, LONG).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(FileLockDrainingException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(registry.awaitReleased(Duration.ZERO)).isTrue();
    }

    @Test
    void locksKeptForTheirMinimumAreReleasedAtDrainOnlyThisRegistrys() throws Exception {
        try (FileLockRegistry other = FileLockRegistry.builder(dir).type(LockType.FLOCK).build()) {
            registry.acquire("tick", Duration.ZERO).closeHoldingAtLeast(Duration.ofHours(1));
            other.acquire("tock", Duration.ZERO).closeHoldingAtLeast(Duration.ofHours(1));
            assertThat(registry.awaitReleased(Duration.ZERO)).as("a kept lock is still held").isFalse();

            registry.drain();

            assertThat(registry.diagnostics().pendingReleases()).extracting(LocalHold::name).containsExactly("tock");
            assertThat(registry.awaitReleased(Duration.ofSeconds(5))).isTrue();
            try (FileLockHold tick = other.tryAcquire("tick").orElseThrow()) {
                assertThat(tick.isValid()).as("the other registry is not drained and gets the lock").isTrue();
            }
            assertThat(other.isDraining()).isFalse();
        }
    }

    @Test
    void aMinimumHoldClosedDuringTheDrainReleasesAtOnce() throws Exception {
        FileLockHold hold = registry.acquire("tick", Duration.ZERO);
        registry.drain();
        hold.closeHoldingAtLeast(Duration.ofHours(1));
        assertThat(registry.diagnostics().pendingReleases()).isEmpty();
        assertThat(registry.awaitReleased(Duration.ZERO)).isTrue();
        try (FileLockRegistry other = FileLockRegistry.builder(dir).type(LockType.FLOCK).build()) {
            assertThat(other.tryAcquire("tick")).isPresent().get().satisfies(FileLockHold::close);
        }
    }

    // Parked in a wait or blocked in flock (not merely listed): polls the threads' states, never sleeps a guessed time.
    private void awaitParked(List<Waiter> threads, int waiting) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (registry.diagnostics().waiters().size() < waiting || threads.stream().anyMatch(Waiter::running)) {
            assertThat(System.nanoTime() - deadline)
                    .as("waiters did not park in time: " + registry.diagnostics().waiters())
                    .isNegative();
            Thread.sleep(5);
        }
    }

    private static final class Waiter {
        final Thread thread;
        volatile Object outcome;

        private Waiter(String name, Supplier<Object> call) {
            thread = new Thread(() -> {
                try {
                    outcome = call.get();
                } catch (RuntimeException e) {
                    outcome = e;
                }
            }, name);
        }

        static Waiter thread(String name, Supplier<Object> call) {
            Waiter waiter = new Waiter(name, call);
            waiter.thread.start();
            return waiter;
        }

        boolean running() {
            return !InFlock.waiting(thread);
        }
    }
}
