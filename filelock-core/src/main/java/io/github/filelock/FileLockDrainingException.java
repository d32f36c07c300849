package io.github.filelock;

import io.github.filelock.internal.LockNames;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The lock was not taken because its registry is draining ({@link FileLockRegistry#drain()}): the application is
 * shutting down. A {@link FileLockTimeoutException}, so code that handles a timeout (skip the run, answer 503,
 * retry later on another instance) handles this the same way; an empty {@code tryAcquire} says the same.
 */
public class FileLockDrainingException extends FileLockTimeoutException {

    private static final long serialVersionUID = 1L;

    public FileLockDrainingException(String lockName, Path lockFile, Duration waited) {
        super("Lock '" + LockNames.abbreviate(lockName) + "' not acquired after " + waited.toMillis() + " ms: the"
                + " application is shutting down (its lock registry is draining, so it takes no new locks and wakes"
                + " its waiters; the locks already held are let go as their work ends)", lockName, lockFile, waited);
    }
}
