package io.github.filelock.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.filelock.FileLockRegistry;
import io.github.filelock.test.FileLockAssert;
import io.github.filelock.test.FileLockExtension;
import io.github.filelock.test.FlockCommand;
import io.github.filelock.test.HeldByOtherProcess;
import io.github.filelock.test.OtherProcessHold;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Spring Integration's LockRegistry contract (as DefaultLockRegistry and JdbcLockRegistry keep it) on real file
 * locks, with real threads, a second JVM and flock(1).
 */
class FileLockIntegrationRegistryTest {

    @RegisterExtension
    final FileLockExtension locks = new FileLockExtension();

    private FileLockRegistry files;
    private FileLockIntegrationRegistry registry;

    @BeforeEach
    void registry(FileLockRegistry files) {
        this.files = files;
        this.registry = new FileLockIntegrationRegistry(files);
    }

    @Test
    void excludesOtherThreadsUntilUnlocked() throws Exception {
        Lock lock = registry.obtain("orders");
        lock.lock();
        try {
            assertThat(onOtherThread(() -> registry.obtain("orders").tryLock())).isFalse();
            long start = System.nanoTime();
            assertThat(onOtherThread(() -> registry.obtain("orders").tryLock(200, TimeUnit.MILLISECONDS))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("tryLock waited its timeout")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(190));

            CountDownLatch acquired = new CountDownLatch(1);
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                Lock mine = registry.obtain("orders");
                mine.lock();
                acquired.countDown();
                mine.unlock();
            });
            awaitWaiter();
            assertThat(acquired.getCount()).as("the waiter is parked, not through").isEqualTo(1);
            lock.unlock();
            assertThat(acquired.await(30, TimeUnit.SECONDS)).as("the waiter got it after unlock").isTrue();
            waiter.get(30, TimeUnit.SECONDS);
        } finally {
            if (files.isHeldByCurrentThread("orders")) {
                lock.unlock();
            }
        }
    }

    @Test
    @HeldByOtherProcess("orders")
    void excludesAnotherProcessWithTimeouts() throws Exception {
        Lock lock = registry.obtain("orders");
        assertThat(lock.tryLock()).isFalse();
        long start = System.nanoTime();
        assertThat(lock.tryLock(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));

        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> registry.executeLocked("orders", Duration.ofMillis(300), () -> ran.set(true)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("orders");
        assertThat(ran).isFalse();
    }

    @Test
    void aWaitingTryLockGetsTheLockWhenTheOtherProcessReleases() throws Exception {
        OtherProcessHold other = locks.holdInOtherProcess("orders");
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            Lock lock = registry.obtain("orders");
            try {
                boolean got = lock.tryLock(60, TimeUnit.SECONDS);
                if (got) {
                    lock.unlock();
                }
                return got;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        awaitWaiter();
        other.release();
        assertThat(waiting.get(60, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anotherProcessCannotTakeALockThisOneHolds() {
        Lock lock = registry.obtain("orders");
        lock.lock();
        try {
            assertThat(FlockCommand.canLock(files.diagnostics().lockFile("orders"))).isFalse();
            assertThatThrownBy(() -> OtherProcessHold.builder(locks.directory(), "orders").waitUpTo(Duration.ZERO)
                    .start()).isInstanceOf(IllegalStateException.class);
        } finally {
            lock.unlock();
        }
        assertThat(FlockCommand.canLock(files.diagnostics().lockFile("orders"))).isTrue();
    }

    @Test
    void reentrantForTheHoldingThreadLikeAReentrantLock() throws Exception {
        Lock first = registry.obtain("orders");
        Lock second = registry.obtain("orders");
        first.lock();
        assertThat(second.tryLock()).as("same thread, same key, another Lock object").isTrue();
        assertThat(files.holdCount("orders")).isEqualTo(2);

        first.unlock();
        assertThat(onOtherThread(() -> registry.obtain("orders").tryLock())).as("one hold is still open").isFalse();
        second.unlock();
        assertThat(onOtherThread(() -> {
            Lock lock = registry.obtain("orders");
            boolean got = lock.tryLock();
            lock.unlock();
            return got;
        })).isTrue();
        FileLockAssert.assertFree(files, "orders");
    }

    @Test
    void unlockByAThreadThatDoesNotHoldItFails() throws Exception {
        Lock lock = registry.obtain("orders");
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        lock.lock();
        try {
            Throwable thrown = onOtherThread(() -> {
                try {
                    registry.obtain("orders").unlock();
                    return null;
                } catch (IllegalMonitorStateException e) {
                    return e;
                }
            });
            assertThat(thrown).isInstanceOf(IllegalMonitorStateException.class).hasMessageContaining("orders");
            FileLockAssert.assertHeldByCurrentThread(files, "orders");
        } finally {
            lock.unlock();
        }
    }

    @Test
    void executeLockedRunsTheTaskUnderTheLock() throws Exception {
        String result = registry.executeLocked("orders", () -> {
            FileLockAssert.assertHeldByCurrentThread(files, "orders");
            assertThat(FlockCommand.canLock(files.diagnostics().lockFile("orders"))).isFalse();
            return "done";
        });
        assertThat(result).isEqualTo("done");
        registry.executeLocked("orders", Duration.ofSeconds(5),
                () -> FileLockAssert.assertHeldByCurrentThread(files, "orders"));
        FileLockAssert.assertFree(files, "orders");
    }

    @Test
    @HeldByOtherProcess("orders")
    void executeLockedWaitsInterruptibly() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                registry.executeLocked("orders", () -> ran.set(true));
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        waiter.start();
        awaitWaiter();
        waiter.interrupt();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(ran).isFalse();
    }

    @Test
    void keysMustBeStrings() {
        assertThatThrownBy(() -> registry.obtain(42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer '42'").hasMessageContaining("toString()");
        assertThatThrownBy(() -> new FileLockIntegrationRegistry(null)).hasMessageContaining("FileLockRegistry");
    }

    /** Waits until a thread of this JVM is parked waiting for "orders". */
    private void awaitWaiter() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (files.diagnostics().waiters().isEmpty()) {
            assertThat(System.nanoTime()).as("a waiter within 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private interface Attempt<T> {
        T run() throws Exception;
    }

    private static <T> T onOtherThread(Attempt<T> attempt) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(attempt.run());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        thread.start();
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
