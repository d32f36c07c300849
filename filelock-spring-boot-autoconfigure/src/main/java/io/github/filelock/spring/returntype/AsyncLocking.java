package io.github.filelock.spring.returntype;

import io.github.filelock.FileLockHold;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The lock of one asynchronous run, for a {@link FileLockedReturnType} whose result completes later: call
 * {@link #acquire}, then exactly one of {@link #acquired} (and later {@link #release}) or {@link #notAcquired}.
 * Completion, failure and cancellation may race on different threads: each event counts once, the first wins, and
 * the listeners hear each at most once.
 */
public interface AsyncLocking {

    /** Starts waiting without blocking; a timeout or failure (a closed registry too) completes the future. */
    CompletableFuture<FileLockHold> acquire();

    /**
     * The lock arrived. False when the run was given up meanwhile: the hold is then released at once and the
     * method must not run.
     *
     * @throws RuntimeException or Error that a listener threw; the hold is already released, do not run the method
     */
    boolean acquired(FileLockHold hold);

    /**
     * The lock did not arrive (timeout, cancellation, error), or the caller stopped waiting.
     *
     * @return true when the caller should get the result type's "nothing" (an empty result) instead of
     *     {@code error}: a timeout with {@code onTimeout = SKIP}
     */
    boolean notAcquired(Throwable error);

    /**
     * The result completed, failed ({@code failure}) or was cancelled: releases the hold, once, from any thread, at
     * the later of now and the minimum hold time since acquisition.
     */
    void release(@Nullable Throwable failure);
}
