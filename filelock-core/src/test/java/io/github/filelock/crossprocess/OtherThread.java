package io.github.filelock.crossprocess;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs lock calls in a thread of their own: locks are reentrant per thread, so asking "can somebody else
 * take it?" from the holding thread would just nest.
 */
final class OtherThread {

    private OtherThread() {
    }

    /** Runs {@code call} in a new thread and returns its result, or rethrows what it threw. */
    static <T> T call(Callable<T> call) throws Exception {
        CompletableFuture<T> result = start(call, "other-thread");
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
        }
    }

    /**
     * Starts a thread that acquires {@code name}, notes {@link System#nanoTime()} the moment it has it,
     * releases it and completes with that instant (or with the exception acquire threw).
     */
    static CompletableFuture<Long> acquireAndRelease(FileLockRegistry registry, String name, Duration timeout) {
        return start(() -> {
            try (FileLockHold hold = registry.acquire(name, timeout)) {
                return System.nanoTime();
            }
        }, "waiter-for-" + name);
    }

    /** As {@link #acquireAndRelease(FileLockRegistry, String, Duration)}, waiting as long as it takes. */
    static CompletableFuture<Long> acquireAndRelease(FileLockRegistry registry, String name) {
        return start(() -> {
            try (FileLockHold hold = registry.acquire(name)) {
                return System.nanoTime();
            }
        }, "waiter-for-" + name);
    }

    /** Waits for a background result, failing clearly instead of hanging. */
    static <T> T await(CompletableFuture<T> result, Duration timeout) throws Exception {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + timeout, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
        }
    }

    private static <T> CompletableFuture<T> start(Callable<T> call, String threadName) {
        CompletableFuture<T> result = new CompletableFuture<>();
        start(call, threadName, result);
        return result;
    }

    /** Starts {@code call} in a daemon thread named {@code threadName}; {@code result} completes with its outcome. */
    static <T> Thread start(Callable<T> call, String threadName, CompletableFuture<T> result) {
        Thread thread = new Thread(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
