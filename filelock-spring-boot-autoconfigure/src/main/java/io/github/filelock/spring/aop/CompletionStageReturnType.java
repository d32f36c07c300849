package io.github.filelock.spring.aop;

import io.github.filelock.FileLockHold;
import io.github.filelock.spring.CurrentFileLock;
import io.github.filelock.spring.returntype.AsyncLocking;
import io.github.filelock.spring.returntype.FileLockedInvocation;
import io.github.filelock.spring.returntype.FileLockedReturnType;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;

/**
 * Runs a {@code @FileLocked} method that returns a {@code CompletableFuture} or {@code CompletionStage}: the lock
 * is taken without blocking the caller, the method is invoked when it arrives, and the lock is released when the
 * method's stage completes. The caller gets a new future that mirrors the method's result.
 *
 * <p>The method runs on the thread that completes the acquisition: the caller's own thread when the lock is
 * free at the call (so the method has started before the call returns), otherwise the library's waiter thread
 * that obtained the lock. Cancelling the returned future stops the wait, or, once the method runs, releases the
 * lock at once and cancels the method's future.
 */
public final class CompletionStageReturnType implements FileLockedReturnType, Ordered {

    @Override
    public boolean supports(Class<?> returnType) {
        return returnType == CompletableFuture.class || returnType == CompletionStage.class;
    }

    @Override
    public boolean isAsync() {
        return true;
    }

    @Override
    public Object invoke(FileLockedInvocation invocation) {
        return run(invocation.startAsync(), invocation);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }

    private static CompletableFuture<@Nullable Object> run(AsyncLocking locked, FileLockedInvocation invocation) {
        CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
        CompletableFuture<FileLockHold> pending = locked.acquire();
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                pending.cancel(true); // stop waiting; a hold that arrives anyway is released by the core
            }
        });
        pending.whenComplete((hold, error) -> {
            try {
                onLockOutcome(locked, invocation, result, hold, error);
            } catch (RuntimeException | Error listenerFailure) {
                // A listener threw (AsyncLocking released the hold first): whenComplete would swallow this
                // and leave the caller's future pending forever.
                result.completeExceptionally(listenerFailure);
            }
        });
        return result;
    }

    private static void onLockOutcome(AsyncLocking locked, FileLockedInvocation invocation,
            CompletableFuture<@Nullable Object> result, @Nullable FileLockHold hold, @Nullable Throwable error) {
        if (error != null) {
            if (locked.notAcquired(error)) {
                result.complete(null);
            } else {
                result.completeExceptionally(AsyncLockedCall.unwrap(error));
            }
        } else if (locked.acquired(hold)) {
            if (result.isDone()) {
                locked.release(new CancellationException("cancelled as the lock arrived"));
            } else {
                invokeUnderLock(locked, invocation, result, hold);
            }
        }
    }

    private static void invokeUnderLock(AsyncLocking locked, FileLockedInvocation invocation,
            CompletableFuture<@Nullable Object> result, FileLockHold hold) {
        CompletionStage<?> stage;
        // The method body finds its hold through CurrentFileLock while it builds its stages, and may keep it for them.
        try (CurrentFileLock.Scope current = CurrentFileLock.enter(hold)) {
            stage = (CompletionStage<?>) invocation.proceed();
        } catch (Throwable t) {
            releaseThenComplete(locked, result, null, t);
            return;
        }
        if (stage == null) {
            releaseThenComplete(locked, result, null, null);
            return;
        }
        stage.whenComplete((value, error) -> releaseThenComplete(locked, result, value, error));
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                locked.release(new CancellationException("the caller cancelled the result"));
                cancelQuietly(stage);
            }
        });
    }

    /** Releases the hold, then completes {@code result}; a listener that throws on release fails the result. */
    private static void releaseThenComplete(AsyncLocking locked, CompletableFuture<@Nullable Object> result,
            @Nullable Object value, @Nullable Throwable error) {
        try {
            locked.release(error);
        } catch (RuntimeException | Error listenerFailure) {
            if (error != null && error != listenerFailure) {
                listenerFailure.addSuppressed(error);
            }
            result.completeExceptionally(listenerFailure);
            return;
        }
        if (error != null) {
            result.completeExceptionally(error);
        } else {
            result.complete(value);
        }
    }

    private static void cancelQuietly(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException e) {
            // a stage that cannot be cancelled runs on; the lock is already released
        }
    }
}
