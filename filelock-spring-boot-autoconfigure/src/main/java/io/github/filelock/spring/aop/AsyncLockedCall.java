package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import io.github.filelock.FileLockInterruptedException;
import io.github.filelock.FileLockRegistry;
import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LockMode;
import io.github.filelock.spring.OnTimeout;
import io.github.filelock.spring.listener.FileLockListener;
import io.github.filelock.spring.listener.FileLockRequest;
import io.github.filelock.spring.listener.WaitOutcome;
import io.github.filelock.spring.returntype.AsyncLocking;
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
final class AsyncLockedCall implements AsyncLocking {

    private static final int WAITING = 0;
    private static final int HOLDING = 1;
    private static final int DONE = 2;

    // A SKIP call whose lock was not free in time. Shared and without a stack trace: a skip is routine, not an error.
    private static final RuntimeException NOT_FREE_IN_TIME = new RuntimeException(
            "The lock was not free in time; the call skips", null, false, false) {
    };

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
     * {@inheritDoc} For SKIP, a lock not free in time fails the future with one shared signal that {@link #notAcquired}
     * turns into a skip: a plain failed try, without the holder lookup and stack trace of a timeout exception.
     */
    @Override
    public CompletableFuture<FileLockHold> acquire() {
        waitStart = System.nanoTime();
        String name = request.lockName();
        try {
            if (InterceptedInvocation.waitsForever(request)) {
                return registry.acquireAsync(name, mode);
            }
            if (request.onTimeout() != OnTimeout.SKIP) {
                return registry.acquireAsync(name, mode, request.timeout());
            }
            return skipWhenEmpty(registry.tryAcquireAsync(name, mode, request.timeout()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // The caller's own future, tied to the registry's: cancelling it stops the wait, and a hold that arrives after it
    // was cancelled is released.
    private static CompletableFuture<FileLockHold> skipWhenEmpty(CompletableFuture<Optional<FileLockHold>> tried) {
        CompletableFuture<FileLockHold> result = new CompletableFuture<>();
        tried.whenComplete((hold, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else if (hold.isEmpty()) {
                result.completeExceptionally(NOT_FREE_IN_TIME);
            } else if (!result.complete(hold.get())) {
                hold.get().close();
            }
        });
        result.whenComplete((hold, error) -> {
            if (result.isCancelled()) {
                tried.cancel(false);
            }
        });
        return result;
    }

    @Override
    public boolean acquired(FileLockHold arrived) {
        hold = arrived;
        if (!state.compareAndSet(WAITING, HOLDING)) {
            arrived.close();
            return false;
        }
        holdStart = System.nanoTime();
        try {
            call.acquired(Duration.ofNanos(holdStart - waitStart));
            arrived.whenLost(() -> reportLoss(arrived));
        } catch (RuntimeException | Error listenerFailure) {
            if (state.compareAndSet(HOLDING, DONE)) { // else a concurrent cancel released it already
                FileLockInterceptor.releaseAfterListenerFailure(arrived, call, holdStart, listenerFailure);
            }
            throw listenerFailure;
        }
        return true;
    }

    // Only while this call holds the lock: the listeners hear lost between acquired and released.
    private void reportLoss(FileLockHold arrived) {
        if (state.get() == HOLDING && arrived.isOpen()) {
            call.lost();
        }
    }

    @Override
    public boolean notAcquired(Throwable error) {
        Throwable cause = unwrap(error);
        WaitOutcome outcome = outcomeOf(cause);
        if (state.compareAndSet(WAITING, DONE)) {
            call.notAcquired(outcome, Duration.ofNanos(System.nanoTime() - waitStart),
                    cause == NOT_FREE_IN_TIME ? null : cause); // a skip has no cause, as a synchronous one
        }
        return outcome == WaitOutcome.SKIPPED;
    }

    @Override
    public void release(@Nullable Throwable failure) {
        FileLockHold held = hold;
        if (held != null && state.compareAndSet(HOLDING, DONE)) {
            try {
                held.closeHoldingAtLeast(holdAtLeast);
            } finally {
                call.released(Duration.ofNanos(System.nanoTime() - holdStart),
                        failure == null ? null : unwrap(failure));
            }
        }
    }

    private WaitOutcome outcomeOf(Throwable cause) {
        if (cause == NOT_FREE_IN_TIME) {
            return WaitOutcome.SKIPPED;
        }
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
