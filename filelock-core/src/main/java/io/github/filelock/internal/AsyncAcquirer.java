package io.github.filelock.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Acquires detached holds without blocking the caller: a free lock is taken at once, a busy one is waited for
 * by an {@link AsyncWait}.
 */
public final class AsyncAcquirer {

    private AsyncAcquirer() {
    }

    /** The hold, or a {@link io.github.filelock.FileLockTimeoutException} naming the holder. */
    public static CompletableFuture<FileLockHold> acquire(LockEngine engine, String name, LockMode mode,
            long timeoutNanos) {
        return start(engine, name, mode, timeoutNanos, hold -> hold, waited -> {
            throw engine.timeoutException(name, waited);
        });
    }

    /** The hold, or empty: a lock not free in time costs no holder lookup and no exception. */
    public static CompletableFuture<Optional<FileLockHold>> tryAcquire(LockEngine engine, String name, LockMode mode,
            long timeoutNanos) {
        return start(engine, name, mode, timeoutNanos, Optional::of, waited -> Optional.empty());
    }

    private static <T> CompletableFuture<T> start(LockEngine engine, String name, LockMode mode, long timeoutNanos,
            Function<FileLockHold, T> held, Function<Duration, T> timedOut) {
        try {
            FileLockHold now = engine.tryAcquire(name, mode, 0, false, true);
            if (now != null) {
                return CompletableFuture.completedFuture(held.apply(now));
            }
            if (timeoutNanos == 0 || engine.draining()) { // draining: no wait starts, as for a lock not free in time
                return CompletableFuture.completedFuture(timedOut.apply(Duration.ZERO));
            }
            return new AsyncWait<>(engine, engine.space().retain(name), name, mode,
                    timeoutNanos, held, timedOut).result;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
