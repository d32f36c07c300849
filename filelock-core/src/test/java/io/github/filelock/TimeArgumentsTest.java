package io.github.filelock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.filelock.WaitingTest.Holder;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One meaning for a time everywhere: the registry waits forever only when asked by name ({@code acquire(name)})
 * and refuses a negative Duration; the {@code Lock} view keeps {@code java.util.concurrent}'s contract (a time
 * of zero or less makes one attempt) and reads a time too long to count in nanoseconds as forever.
 */
@Timeout(60)
class TimeArgumentsTest extends RegistryWithProcesses {

    private static final Duration PASSED_DEADLINE = Duration.between(Instant.now(), Instant.now().minusSeconds(1));

    @Test
    void aDeadlineAlreadyPassedIsRefusedByEveryTimedCallNotReadAsForever() {
        for (Runnable call : new Runnable[] {
                () -> locks.acquire("x", PASSED_DEADLINE),
                () -> locks.acquire("x", LockMode.SHARED, PASSED_DEADLINE),
                () -> locks.acquireShared("x", PASSED_DEADLINE),
                () -> locks.acquireAsync("x", LockMode.EXCLUSIVE, PASSED_DEADLINE),
                () -> locks.acquireAsync("x", PASSED_DEADLINE),
                () -> locks.tryAcquire("x", PASSED_DEADLINE),
                () -> locks.tryAcquireAsync("x", LockMode.EXCLUSIVE, PASSED_DEADLINE),
                () -> locks.executeLocked("x", PASSED_DEADLINE, () -> "ran"),
                () -> locks.executeLocked("x", LockMode.SHARED, PASSED_DEADLINE, () -> "ran"),
                () -> locks.runLocked("x", PASSED_DEADLINE, () -> { }) }) {
            assertThatIllegalArgumentException().isThrownBy(call::run)
                    .withMessageContaining("timeout must not be negative")
                    .withMessageContaining("'x'")
                    .withMessageContaining("acquire(name)")
                    .withMessageContaining("Duration.ZERO");
        }
        assertThat(locks.diagnostics().waiters()).isEmpty();
        assertThat(locks.diagnostics().localHolds()).isEmpty();
    }

    @Test
    void acquireByNameAloneWaitsUntilTheHolderReleases() throws Exception {
        Holder holder = Holder.hold(locks, "x", "holder");
        CompletableFuture<Boolean> exclusive = CompletableFuture.supplyAsync(() -> {
            try (FileLockHold hold = locks.acquire("x")) {
                return hold.isOpen();
            }
        });
        CompletableFuture<FileLockHold> async = locks.acquireAsync("x");
        awaitWaiters(2);
        assertThat(exclusive).isNotDone();
        assertThat(async).isNotDone();
        holder.release();
        async.get(10, TimeUnit.SECONDS).close(); // first, as it may be queued ahead of the thread
        assertThat(exclusive.get(10, TimeUnit.SECONDS)).isTrue();
        try (FileLockHold shared = locks.acquireShared("x"); FileLockHold again = locks.acquire("x", LockMode.SHARED)) {
            assertThat(shared.mode()).isEqualTo(LockMode.SHARED);
            assertThat(again.mode()).isEqualTo(LockMode.SHARED);
        }
    }

    @Test
    void theLockViewReadsAHugeTimeAsForeverNotAsOneAttempt() throws Exception {
        for (TimeUnit unit : new TimeUnit[] {TimeUnit.NANOSECONDS, TimeUnit.SECONDS, TimeUnit.DAYS}) {
            Holder holder = Holder.hold(locks, "x", "holder");
            Lock lock = locks.obtain("x");
            CompletableFuture<Boolean> got = CompletableFuture.supplyAsync(() -> {
                try {
                    boolean locked = lock.tryLock(Long.MAX_VALUE, unit);
                    if (locked) {
                        lock.unlock();
                    }
                    return locked;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            awaitWaiters(1);
            assertThat(got).as("tryLock(Long.MAX_VALUE, %s) still waiting", unit).isNotDone();
            holder.release();
            assertThat(got.get(10, TimeUnit.SECONDS)).as("tryLock(Long.MAX_VALUE, %s)", unit).isTrue();
        }
    }

    @Test
    void theLockViewMakesOneAttemptForZeroOrNegativeTimes() throws Exception {
        Holder holder = Holder.hold(locks, "x", "holder");
        try {
            Lock lock = locks.obtain("x");
            assertThat(lock.tryLock(-1, TimeUnit.DAYS)).isFalse();
            assertThat(lock.tryLock(Long.MIN_VALUE, TimeUnit.NANOSECONDS)).isFalse();
            assertThat(lock.tryLock(0, TimeUnit.SECONDS)).isFalse();
        } finally {
            holder.release();
        }
        Lock lock = locks.obtain("x");
        assertThat(lock.tryLock(-1, TimeUnit.DAYS)).isTrue();
        lock.unlock();
    }

    private void awaitWaiters(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (locks.diagnostics().waiters().size() < count) {
            assertThat(System.nanoTime()).as("waiters registered in time").isLessThan(deadline);
            Thread.sleep(2);
        }
    }
}
