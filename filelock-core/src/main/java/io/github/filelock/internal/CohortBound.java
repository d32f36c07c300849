package io.github.filelock.internal;

import java.util.concurrent.TimeUnit;

/**
 * How far one key's cohort hand-off may go (see {@link KeyEntry}): at most {@link #MAX_HAND_OFFS} hand-offs in a row
 * without letting go of the lock, and none later than {@link #MAX_NANOS} after the first of them. Then the lock is let
 * go once, so that the kernel or the server wakes the waiters of other processes. Guarded by the entry's lock.
 */
final class CohortBound {

    static final int MAX_HAND_OFFS = 32;
    static final long MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final int maxHandOffs;
    private final long maxNanos;
    private int handOffs; // since the lock was last let go
    private long since; // when the first of them was made

    CohortBound() {
        this(MAX_HAND_OFFS, MAX_NANOS);
    }

    CohortBound(int maxHandOffs, long maxNanos) {
        this.maxHandOffs = maxHandOffs;
        this.maxNanos = maxNanos;
    }

    /** Whether one more hand-off at {@code now} ({@link System#nanoTime()}) is within the bound; counts it if so. */
    boolean allows(long now) {
        if (handOffs == 0) {
            since = now;
        }
        if (handOffs < maxHandOffs && now - since < maxNanos) {
            handOffs++;
            return true;
        }
        return false;
    }

    /** The lock was let go: the next hand-off starts a new run. */
    void reset() {
        handOffs = 0;
    }
}
