package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockMode;
import io.github.filelock.spring.OnTimeout;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One call of an asynchronous {@code @FileLocked} method: its pending acquisition, its detached hold and its
 * listener events. Completion, failure and cancellation can race on different threads, so the state moves
 * WAITING, then HOLDING, then DONE exactly once, and each listener event is reported at most once.
 */
final class AsyncLockedCall {

    private static final int WAITING = 0;
    private static final int HOLDING = 1;
    private static final int DONE = 2;

    private final FileLockRegistry registry;
    private final FileLockRequest request;
    private final LockMode mode;
    private final Duration holdAtLeast;
    private final FileLockListener.Call call;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile long waitStart;
    private volatile long holdStart;
    private volatile @Nullable FileLockHold hold;

    AsyncLockedCall(FileLockRegistry registry, FileLockRequest request, LockMode mode, Duration holdAtLeast,
            FileLockListener.Call call) {
        this.registry = registry;
        this.request = request;
        this.mode = mode;
        this.holdAtLeast = holdAtLeast;
        this.call = call;
    }

    /**
     * Starts waiting for the lock. The future completes with the hold, or, for SKIP, with an {@code Optional} hold
     * that is empty when the lock was not free in time: a skip is a plain failed try, without the holder lookup and
     * stack trace of a timeout exception. Read it with {@link #holdOf}. Failures (a closed registry too) arrive
     * through the future. It is the registry's own future, so cancelling it stops the wait.
     */
    CompletableFuture<?> acquire() {
        waitStart = System.nanoTime();
        String name = request.lockName();
        try {
            if (FileLockInterceptor.waitsForever(request)) {
                return registry.acquireAsync(name, mode);
            }
            return request.onTimeout() == OnTimeout.SKIP ? registry.tryAcquireAsync(name, mode, request.timeout())
                    : registry.acquireAsync(name, mode, request.timeout());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The hold an {@link #acquire()} future completed with, or null for a skip (an empty {@code Optional}). */
    static @Nullable FileLockHold holdOf(@Nullable Object outcome) {
        return outcome instanceof Optional<?> optional ? (FileLockHold) optional.orElse(null) : (FileLockHold) outcome;
    }

    /** The lock was not free in time and the call skips: SKIPPED, with no cause, as for a synchronous skip. */
    void skipped() {
        if (state.compareAndSet(WAITING, DONE)) {
            call.notAcquired(WaitOutcome.SKIPPED, Duration.ofNanos(System.nanoTime() - waitStart), null);
        }
    }

    /**
     * The lock arrived. False when the call was given up meanwhile: the hold is then released at once.
     *
     * @throws RuntimeException or Error a listener threw; the hold is already released and the call is done
     */
    boolean acquired(FileLockHold arrived) {
        hold = arrived;
        if (!state.compareAndSet(WAITING, HOLDING)) {
            arrived.close();
            return false;
        }
        holdStart = System.nanoTime();
        try {
            call.acquired(Duration.ofNanos(holdStart - waitStart));
        } catch (RuntimeException | Error listenerFailure) {
            if (state.compareAndSet(HOLDING, DONE)) { // else a concurrent cancel released it already
                FileLockInterceptor.releaseAfterListenerFailure(arrived, call, holdStart, listenerFailure);
            }
            throw listenerFailure;
        }
        return true;
    }

    /**
     * The lock did not arrive (timeout, cancellation, error), or the caller stopped waiting.
     *
     * @return true when the caller should see SKIP's "nothing" instead of {@code error}
     */
    boolean notAcquired(Throwable error) {
        Throwable cause = unwrap(error);
        WaitOutcome outcome = outcomeOf(cause);
        if (state.compareAndSet(WAITING, DONE)) {
            call.notAcquired(outcome, Duration.ofNanos(System.nanoTime() - waitStart), cause);
        }
        return outcome == WaitOutcome.SKIPPED;
    }

    /**
     * The result completed, failed or was cancelled: release the hold (once, from any thread), at the later of now
     * and the minimum hold time since acquisition.
     */
    void release(@Nullable Throwable failure) {
        FileLockHold held = hold;
        if (held != null && state.compareAndSet(HOLDING, DONE)) {
            try {
                held.closeHoldingAtLeast(holdAtLeast);
            } finally {
                call.released(Duration.ofNanos(System.nanoTime() - holdStart), failure == null ? null : unwrap(failure));
            }
        }
    }

    private WaitOutcome outcomeOf(Throwable cause) {
        if (cause instanceof FileLockTimeoutException) {
            return request.onTimeout() == OnTimeout.SKIP ? WaitOutcome.SKIPPED : WaitOutcome.TIMEOUT;
        }
        // A cancelled future or disposed subscription gave up the wait, as an interrupt does for a thread.
        return cause instanceof CancellationException || cause instanceof FileLockInterruptedException
                ? WaitOutcome.INTERRUPTED : WaitOutcome.ERROR;
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
