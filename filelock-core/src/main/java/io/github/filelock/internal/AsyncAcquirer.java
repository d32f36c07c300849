package io.github.filelock.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Acquires detached holds without blocking the caller: a free lock is taken at once, a busy one is waited for
 * by an {@link AsyncWait}.
 */
public final class AsyncAcquirer {

    private AsyncAcquirer() {
    }

    public static CompletableFuture<FileLockHold> acquire(LockEngine engine, String name, LockMode mode, long timeoutNanos) {
        try {
            FileLockHold now = engine.tryAcquire(name, mode, 0, false, true);
            if (now != null || timeoutNanos == 0 || engine.draining()) {
                return now != null ? CompletableFuture.completedFuture(now)
                        : CompletableFuture.failedFuture(engine.timeoutException(name, Duration.ZERO));
            }
            return new AsyncWait(engine, engine.space().retain(name), name, mode,
                    timeoutNanos).result;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
