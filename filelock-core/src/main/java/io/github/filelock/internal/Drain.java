package io.github.filelock.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One registry's shutdown state. Once {@link #start() started}, new requests of the registry end at once as a
 * timeout would (an empty try), the callers already waiting are woken to end the same way, and the holds still
 * running can be awaited with a deadline. Per registry, not per space: two Spring contexts on one directory (the
 * test context cache) share a space, and closing one must not drain the other.
 */
final class Drain {

    private volatile boolean draining;
    // Wake-ups of the callers waiting right now, each run once: at drain, or at once if registered after it.
    private final Set<Runnable> wakers = ConcurrentHashMap.newKeySet();
    // Holdings this registry granted and has not left yet (a lock kept for its minimum hold time counts).
    private final AtomicInteger holdings = new AtomicInteger();
    private final Object idle = new Object();
    private volatile boolean awaited; // someone waits for idleness: releases must signal it (else they never do)

    boolean draining() {
        return draining;
    }

    /** Starts draining, once; wakes every caller waiting now. */
    void start() {
        draining = true;
        for (Runnable wake : wakers) {
            if (wakers.remove(wake)) {
                wake.run();
            }
        }
        signalIfIdle();
    }

    /**
     * Runs {@code wake} when draining starts, or now if it has started; until {@link #forget}. A waker must be
     * quick and never block: it runs on the thread that drains.
     */
    void onDrain(Runnable wake) {
        wakers.add(wake);
        if (draining && wakers.remove(wake)) {
            wake.run();
        }
    }

    void forget(Runnable wake) {
        wakers.remove(wake);
    }

    void granted() {
        holdings.incrementAndGet();
    }

    void left() {
        if (holdings.decrementAndGet() == 0 && (draining || awaited)) {
            signalIfIdle(); // not on every release: only a drain or an awaiting thread needs the monitor
        }
    }

    /** Holdings not left yet. */
    int holdings() {
        return holdings.get();
    }

    /** Waits until no holding is left, up to {@code timeoutNanos}; true when none is left. */
    boolean awaitIdle(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        awaited = true;
        synchronized (idle) {
            while (holdings.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    private void signalIfIdle() {
        if (holdings.get() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }
}
