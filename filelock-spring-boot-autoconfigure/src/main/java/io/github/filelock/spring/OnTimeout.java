package io.github.filelock.spring;

/** What a {@link FileLocked} method does when its lock is not free within the timeout. */
public enum OnTimeout {

    /** Throw {@link io.github.filelock.FileLockTimeoutException}, naming the lock and its holder. */
    FAIL,

    /**
     * Do not run the method. It returns {@code null}, {@code Optional.empty()} (or an empty
     * {@code OptionalInt}/{@code OptionalLong}/{@code OptionalDouble}), or nothing for {@code void}. Not allowed
     * on methods that return a primitive: there is no value to skip with, so start-up fails.
     */
    SKIP
}
