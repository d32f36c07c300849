package io.github.filelock.spring.returntype;

import io.github.filelock.spring.listener.FileLockRequest;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One intercepted call of a {@code @FileLocked} method, as a {@link FileLockedReturnType} runs it: what to lock,
 * the method, and the two ways to hold the lock around work, each of which reports to the listeners.
 */
public interface FileLockedInvocation {

    /** The lock this call asks for, with the effective timeout and what happens on timeout. */
    FileLockRequest request();

    /**
     * Runs the method (and any advice inside this one). Each call runs it anew, so a result that is subscribed
     * more than once can run it once per subscription. Call it while the lock is held.
     */
    @Nullable Object proceed() throws Throwable;

    /**
     * Waits for the lock on this thread, runs {@code work} and releases the lock when it returns or throws
     * (after {@code holdAtLeast}, if set). When {@code onTimeout = SKIP} and the lock is not free in time,
     * {@code work} does not run and the value of {@code whenSkipped} is returned.
     *
     * @throws io.github.filelock.FileLockTimeoutException when the lock is not free in time and
     *     {@code onTimeout = FAIL}
     */
    @Nullable Object callLocked(Work work, Supplier<? extends @Nullable Object> whenSkipped) throws Throwable;

    /**
     * Starts the lock of one asynchronous run; listeners hear it as a request of its own. Use one per run (per
     * subscription, for a publisher).
     */
    AsyncLocking startAsync();

    /** Work that runs under the lock. */
    @FunctionalInterface
    interface Work {

        @Nullable Object run() throws Throwable;
    }
}
