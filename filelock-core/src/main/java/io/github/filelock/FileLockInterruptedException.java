package io.github.filelock;

import io.github.filelock.internal.LockNames;

/**
 * The waiting thread was interrupted. The thread's interrupt status is set again before this is thrown,
 * and nothing is left held.
 */
public class FileLockInterruptedException extends FileLockException {

    private static final long serialVersionUID = 1L;

    public FileLockInterruptedException(String lockName, InterruptedException cause) {
        super("Interrupted while waiting for lock '" + LockNames.abbreviate(lockName) + "'", cause);
    }
}
