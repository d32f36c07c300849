package io.github.filelock;

/**
 * Work to run under a lock by {@link FileLockRegistry#executeLocked}. It may throw a checked exception,
 * which reaches the caller unchanged.
 */
@FunctionalInterface
public interface LockedAction<T, E extends Throwable> {
    T run() throws E;
}
