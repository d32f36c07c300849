package io.github.filelock;

import io.github.filelock.internal.LockNames;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Turns the public time arguments into the engine's nanoseconds (0: one attempt, {@link #FOREVER}: no limit), so
 * that every entry point reads a time the same way.
 */
final class Timeouts {

    /** The engine's "no limit". */
    static final long FOREVER = -1;

    private Timeouts() {
    }

    /**
     * A registry timeout: zero or more. A negative one is refused, because it is almost always a deadline that has
     * passed ({@code Duration.between(now, deadline)}), and reading it as forever would hang that caller.
     */
    static long registryNanos(Duration timeout, String name) {
        Objects.requireNonNull(timeout, "timeout must not be null: use acquire(name) to wait until the lock is free");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout + ", for lock '"
                    + LockNames.abbreviate(name) + "': use acquire(name) (or acquireAsync(name)) to wait until the"
                    + " lock is free, or Duration.ZERO for one attempt (a deadline that has already passed)");
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return FOREVER; // longer than 292 years
        }
    }

    /**
     * A {@code Lock.tryLock(time, unit)} time: zero or less makes one attempt, as {@code java.util.concurrent}
     * says, and a time too long to count in nanoseconds ({@code Long.MAX_VALUE} seconds) waits forever.
     */
    static long lockViewNanos(long time, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit must not be null");
        if (time <= 0) {
            return 0;
        }
        long nanos = unit.toNanos(time); // saturates at Long.MAX_VALUE
        return nanos == Long.MAX_VALUE ? FOREVER : nanos;
    }
}
