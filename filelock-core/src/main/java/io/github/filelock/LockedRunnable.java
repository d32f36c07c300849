package io.github.filelock;

/**
 * Work without a result, to run under a lock by {@link FileLockRegistry#runLocked}. It may throw a checked exception,
 * which reaches the caller unchanged.
 */
@FunctionalInterface
public interface LockedRunnable<E extends Throwable> {
    void run() throws E;
}
