package io.github.filelock.internal;

import io.github.filelock.LockMode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One holder of a lock inside this JVM: a thread (reentrant, with a hold count) or a detached hold that any thread
 * may close (for async work). Its handles are {@link ThreadHold}s or one {@link DetachedHold}.
 */
final class LocalHolding {

    final String lockName;
    final LockMode mode;
    final String threadName;
    final Instant since;
    final long acquiredNanos = System.nanoTime(); // built when the OS lock was taken
    final Drain drain; // of the registry that granted it: its shutdown awaits this holding
    private volatile int count = 1; // changed only by the owning thread; read by diagnostics
    private volatile long minimumNanos; // the longest holdAtLeast of the holds closed so far; 0: none
    private volatile boolean lost; // the backend found the lock lost while this holder had it
    // Loss reactions, guarded by loss: run once on loss, dropped when the holder lets go, so never after it did.
    private final ReentrantLock loss = new ReentrantLock();
    private List<Runnable> lossActions = List.of();
    private Thread interruptOnLoss; // the owner thread, when its registry interrupts it on loss
    private boolean ended;
    private long fencingToken; // 0 until asked for; guarded by fencing
    // Not a monitor: allocating does file or network I/O, which must not pin a virtual thread's carrier (JDK 21-23).
    private final ReentrantLock fencing = new ReentrantLock();

    LocalHolding(String lockName, LockMode mode, String threadName, Instant since, Drain drain) {
        this.lockName = lockName;
        this.drain = drain;
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

    /** Keeps the lock at least {@code minimum} past its acquisition; of several (nested holds) the longest wins. */
    void holdAtLeast(Duration minimum) {
        long nanos = minimum.compareTo(Duration.ofDays(365 * 100)) > 0 ? Long.MAX_VALUE : minimum.toNanos();
        if (nanos > minimumNanos) {
            minimumNanos = nanos;
        }
    }

    interface TokenSource {
        long next() throws IOException;
    }

    /** This holder's fencing token, taken from {@code source} on the first call only. */
    long fencingToken(TokenSource source) throws IOException {
        fencing.lock();
        try {
            if (fencingToken == 0) {
                fencingToken = source.next();
            }
            return fencingToken;
        } finally {
            fencing.unlock();
        }
    }

    /**
     * Marks the holding lost, interrupts its thread if asked to, then runs the loss actions (on this thread). Only the
     * first call does anything: a loss can be reported twice (by the backend, and by the grant that found it). The
     * actions run under {@code loss}, so {@link #ended()} waits for one that is running: none goes on after the holder
     * let go (a listener hears lost before released). Reentrant: an action may close a detached hold.
     */
    void markLost() {
        loss.lock();
        try {
            if (lost) {
                return;
            }
            lost = true;
            if (ended) {
                return;
            }
            if (interruptOnLoss != null) {
                interruptOnLoss.interrupt();
            }
            List<Runnable> actions = lossActions;
            lossActions = List.of();
            for (Runnable action : actions) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    Log.LOGGER.log(System.Logger.Level.WARNING, "A loss action of lock '"
                            + LockNames.abbreviate(lockName) + "' failed", e);
                }
            }
        } finally {
            loss.unlock();
        }
    }

    /** Runs {@code action} when the lock is found lost while held, or now if it already was. */
    void whenLost(Runnable action) {
        loss.lock();
        try {
            if (!lost) {
                if (!ended) {
                    List<Runnable> more = new ArrayList<>(lossActions);
                    more.add(action);
                    lossActions = more;
                }
                return;
            }
        } finally {
            loss.unlock();
        }
        action.run();
    }

    /** Interrupts {@code owner} if the lock is found lost while this holding lasts. */
    void interruptOnLoss(Thread owner) {
        loss.lock();
        try {
            interruptOnLoss = owner;
        } finally {
            loss.unlock();
        }
    }

    /** The holder let go (its last hold closed): no later loss interrupts its thread or runs its actions. */
    void ended() {
        loss.lock();
        try {
            ended = true;
            interruptOnLoss = null;
            lossActions = List.of();
        } finally {
            loss.unlock();
        }
    }

    boolean isLost() {
        return lost;
    }

    /** How long the lock must still be kept; 0 or less when it may be released now. */
    long minimumLeftNanos() {
        return minimumNanos - (System.nanoTime() - acquiredNanos);
    }
}
