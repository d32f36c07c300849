package io.github.filelock.internal;

import io.github.filelock.LockMode;
import java.time.Instant;

/**
 * One holder of a lock inside this JVM: a thread (reentrant, with a hold count) or a detached hold that
 * any thread may close (for async work).
 */
final class Holding {

    final String lockName;
    final LockMode mode;
    final String threadName;
    final Instant since;
    private volatile int count = 1; // changed only by the owning thread; read by diagnostics

    Holding(String lockName, LockMode mode, String threadName, Instant since) {
        this.lockName = lockName;
        this.mode = mode;
        this.threadName = threadName;
        this.since = since;
    }

    int count() {
        return count;
    }

    void increment() {
        count++;
    }

    /** @return the holds left */
    int decrement() {
        return --count;
    }
}
