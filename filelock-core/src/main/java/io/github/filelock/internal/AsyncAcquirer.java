package io.github.filelock.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/** Acquires detached holds without blocking the caller: a free lock is taken at once, a busy one on a waiter thread. */
public final class AsyncAcquirer {

    private static final ExecutorService WAITERS = DaemonThreads.cachedPool("filelock-async-");

    private AsyncAcquirer() {
    }

    public static CompletableFuture<FileLockHold> acquire(LockEngine engine, String name, LockMode mode, long timeoutNanos) {
        CompletableFuture<FileLockHold> result = new CompletableFuture<>();
        try {
            FileLockHold now = engine.tryAcquire(name, mode, 0, false, true);
            if (now != null || timeoutNanos == 0) {
                return now != null ? CompletableFuture.completedFuture(now)
                        : CompletableFuture.failedFuture(engine.timeoutException(name, java.time.Duration.ZERO));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        AtomicReference<Thread> waiter = new AtomicReference<>();
        WAITERS.execute(() -> {
            waiter.set(Thread.currentThread());
            try {
                if (result.isDone()) {
                    return; // cancelled before we started
                }
                FileLockHold hold = engine.acquire(name, mode, timeoutNanos, true, true);
                if (!result.complete(hold)) {
                    hold.close(); // cancelled while we waited
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                waiter.set(null);
                Thread.interrupted(); // a late cancel must not leak an interrupt into the pool
            }
        });
        result.whenComplete((hold, error) -> {
            Thread t = waiter.get();
            if (result.isCancelled() && t != null) {
                t.interrupt(); // stop waiting for a lock nobody wants
            }
        });
        return result;
    }
}
