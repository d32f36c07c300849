package io.github.filelock.spring.listener;

/** Why a call did not get its lock. */
public enum WaitOutcome {
    /** Still held by someone else after the timeout; the caller got {@code FileLockTimeoutException}. */
    TIMEOUT,
    /** Still held after the timeout, and {@code onTimeout = SKIP}: the method did not run. */
    SKIPPED,
    /** The waiting thread was interrupted. */
    INTERRUPTED,
    /** Anything else went wrong while taking the lock (an I/O error, a closed registry). */
    ERROR
}
