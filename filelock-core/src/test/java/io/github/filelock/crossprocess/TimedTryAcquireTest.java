package io.github.filelock.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import io.github.filelock.internal.TestHooks;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tryAcquire(name, mode, timeout)} against a lock held by another process: empty after the wait, with no
 * timeout exception built (counted through the engine's test hook, not timed); the lock when it comes free in
 * time; and a negative timeout refused rather than read as forever (a deadline already passed).
 */
@Timeout(60)
class TimedTryAcquireTest extends RegistryBesideAHolderChild {

    private final AtomicInteger timeoutExceptions = new AtomicInteger();

    TimedTryAcquireTest() {
        super("busy");
    }

    @BeforeEach
    void countTimeoutExceptions() {
        TestHooks.install((point, subject) -> {
            if (point.equals("LockEngine.timeoutException")) {
                timeoutExceptions.incrementAndGet();
            }
        });
    }

    @AfterEach
    void removeHook() {
        TestHooks.install(null);
    }

    @Test
    void emptyAfterTheTimeoutWithoutBuildingATimeoutException() {
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(registry.tryAcquire("busy", LockMode.EXCLUSIVE, Duration.ofMillis(50))).isEmpty();
            assertThat(System.nanoTime() - start).as("it waited")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        }
        assertThat(registry.tryAcquire("busy", LockMode.SHARED, Duration.ZERO)).isEmpty();
        assertThat(timeoutExceptions).as("holder lookups and exceptions built").hasValue(0);
        assertThat(registry.diagnostics().waiters()).isEmpty();
    }

    @Test
    void theHookSeesTheExceptionThatAcquireBuilds() {
        // The counter can see what it counts: acquire's timeout path goes through the same point.
        assertThat(registry.tryAcquire("busy")).isEmpty();
        catchThrowable(() -> registry.acquire("busy", Duration.ZERO));
        assertThat(timeoutExceptions).hasValue(1);
    }

    @Test
    void theAsyncFormCompletesEmptyAfterTheTimeoutWithoutBuildingATimeoutException() throws Exception {
        assertThat(registry.tryAcquireAsync("busy", LockMode.EXCLUSIVE, Duration.ZERO).get(10, TimeUnit.SECONDS))
                .as("one attempt").isEmpty();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(registry.tryAcquireAsync("busy", LockMode.EXCLUSIVE, Duration.ofMillis(50))
                    .get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(System.nanoTime() - start).as("it waited")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        }
        assertThat(timeoutExceptions).as("holder lookups and exceptions built").hasValue(0);
        // The counter sees what acquireAsync builds on the same two paths.
        catchThrowable(() -> registry.acquireAsync("busy", Duration.ZERO).join());
        catchThrowable(() -> registry.acquireAsync("busy", Duration.ofMillis(50)).join());
        assertThat(timeoutExceptions).hasValue(2);
    }

    @Test
    void theAsyncFormGetsTheLockWhenTheHolderReleasesWithinTheTimeout() throws Exception {
        CompletableFuture<Optional<FileLockHold>> waiting = registry.tryAcquireAsync("busy", LockMode.EXCLUSIVE,
                Duration.ofSeconds(30));
        assertThat(waiting).isNotDone();
        HolderChild.release(holder);
        Optional<FileLockHold> hold = waiting.get(30, TimeUnit.SECONDS);
        assertThat(hold).hasValueSatisfying(h -> assertThat(h.isOpen()).isTrue());
        hold.get().close();
    }

    @Test
    void getsTheLockWhenTheHolderReleasesWithinTheTimeout() throws Exception {
        CompletableFuture<Optional<FileLockHold>> waiting = CompletableFuture.supplyAsync(() -> {
            Optional<FileLockHold> hold = registry.tryAcquire("busy", LockMode.EXCLUSIVE, Duration.ofSeconds(30));
            hold.ifPresent(FileLockHold::close);
            return hold;
        });
        HolderChild.release(holder);
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isPresent();
    }

    @Test
    void aNegativeTimeoutIsRefusedNotReadAsForever() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> registry.tryAcquire("busy", LockMode.EXCLUSIVE, Duration.ofMillis(-1)))
                .withMessageContaining("must not be negative").withMessageContaining("'busy'")
                .withMessageContaining("Duration.ZERO");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> registry.tryAcquireAsync("busy", LockMode.EXCLUSIVE, Duration.ofMillis(-1)))
                .withMessageContaining("must not be negative").withMessageContaining("'busy'")
                .withMessageContaining("Duration.ZERO");
    }
}
