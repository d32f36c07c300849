package io.github.filelock;

/**
 * Work that returns a result, to run under a lock by {@link FileLockRegistry#executeLocked}. It may throw a checked
 * exception, which reaches the caller unchanged. For work without a result: {@link LockedRunnable}.
 */
@FunctionalInterface
public interface LockedAction<T, E extends Throwable> {
    T run() throws E;
}
