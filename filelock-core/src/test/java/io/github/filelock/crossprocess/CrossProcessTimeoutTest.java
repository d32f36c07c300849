package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.filelock.FileLockTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timeouts against a lock held by another process: a positive timeout waits about that long and throws,
 * zero makes one attempt, {@code acquire(name)} waits for as long as it takes. Elapsed times are printed, not
 * asserted tightly: speed belongs to the benchmarks, and this machine is noisy.
 */
@Timeout(60)
class CrossProcessTimeoutTest extends RegistryBesideAHolderChild {

    CrossProcessTimeoutTest() {
        super("slow");
    }

    @Test
    void aHundredMillisecondTimeoutThrowsAfterAboutAHundredMilliseconds() {
        long[] elapsedMs = new long[5];
        for (int i = 0; i < elapsedMs.length; i++) {
            long start = System.nanoTime();
            FileLockTimeoutException timeout = catchThrowableOfType(
                    () -> registry.acquire("slow", Duration.ofMillis(100)), FileLockTimeoutException.class);
            elapsedMs[i] = (System.nanoTime() - start) / 1_000_000;

            assertThat(timeout).as("acquire against a held lock must time out").isNotNull();
            assertThat(timeout.holderPid()).contains(holder.pid());
            assertThat(timeout.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(elapsedMs[i]).isBetween(100L, 1999L);
        }
        long[] sorted = elapsedMs.clone();
        Arrays.sort(sorted);
        System.out.printf("[timeout] acquire(100 ms) against pid %d threw after %s ms (median %d ms)%n",
                holder.pid(), Arrays.toString(elapsedMs), sorted[sorted.length / 2]);
        assertThat(registry.diagnostics().waiters()).as("a waiter that timed out is no longer waiting").isEmpty();
    }

    @Test
    void zeroMakesOneAttempt() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> registry.acquire("slow", Duration.ZERO))
                .isInstanceOf(FileLockTimeoutException.class)
                .hasMessageContaining("held by pid " + holder.pid());
        assertThat(registry.tryAcquire("slow")).isEmpty();
        System.out.printf("[timeout] acquire(ZERO) and tryAcquire against a held lock returned after %.3f ms%n",
                (System.nanoTime() - start) / 1e6);
    }

    @Test
    void acquireWithoutATimeoutWaitsUntilTheHolderReleases() throws Exception {
        CompletableFuture<Long> acquired = OtherThread.acquireAndRelease(registry, "slow");

        Thread.sleep(500);
        assertThat(acquired).as("acquire(name) must keep waiting while the lock is held").isNotDone();
        assertThat(registry.diagnostics().waiters()).extracting(w -> w.name()).containsExactly("slow");

        long releasedAt = System.nanoTime();
        HolderChild.release(holder);
        long gotItAt = OtherThread.await(acquired, Duration.ofSeconds(10));
        System.out.printf("[timeout] acquire(name) got the lock %.3f ms after the holder was told to release%n",
                (gotItAt - releasedAt) / 1e6);
        assertThat(registry.diagnostics().waiters()).as("a waiter that got the lock is no longer waiting").isEmpty();
    }
}
