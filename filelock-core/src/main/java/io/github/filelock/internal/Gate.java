package io.github.filelock.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fair gate in front of one lock file: a reader takes one permit, a writer all of them, in arrival order, so a
 * queued writer holds back the readers that come after it.
 *
 * <p>A caller that cannot enter at once gets a {@link Ticket}: a place in the queue. A thread parks on its own ticket
 * ({@link #enqueueThread}), and the grant unparks it directly; async work chains on the ticket's future
 * ({@link #enqueue}), so any number of async callers wait without a thread. Either kind can give its ticket up
 * ({@link #abandon}); that never disturbs anybody else's wait.
 */
final class Gate {

    static final int ALL_PERMITS = 1 << 20;

    private final ReentrantLock lock = new ReentrantLock(); // held only for bookkeeping, never while blocking
    private final LinkedHashSet<Ticket> queue = new LinkedHashSet<>(); // arrival order; O(1) abandon
    private int available = ALL_PERMITS;

    /**
     * A place in the queue, granted once its permits are taken for it. An async caller's ticket completes
     * {@link #granted}; a thread's ticket has no future (a chain of futures would lengthen every hand-off, issue 16)
     * and unparks its thread. {@link #run} wakes that thread without granting anything (a drain).
     */
    static final class Ticket implements Runnable {
        final int permits;
        final CompletableFuture<Void> granted; // an async caller's; null for a thread's ticket
        private final Thread parked; // a thread's ticket: its thread, unparked on the grant
        private volatile boolean isGranted;

        private Ticket(int permits, Thread parked) {
            this.permits = permits;
            this.parked = parked;
            this.granted = parked == null ? new CompletableFuture<>() : null;
        }

        boolean isGranted() {
            return isGranted;
        }

        private void grant() {
            isGranted = true;
            if (granted != null) {
                granted.complete(null);
            } else {
                LockSupport.unpark(parked);
            }
        }

        /** Wakes a thread's ticket's thread, so that it looks again at its grant, its deadline and the drain. */
        @Override
        public void run() {
            if (parked != null) {
                LockSupport.unpark(parked);
            }
        }
    }

    /** Enters now if nobody is queued and the permits are free (never barges past a queued caller). */
    boolean tryEnter(int permits) {
        lock.lock();
        try {
            if (queue.isEmpty() && available >= permits) {
                available -= permits;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues an async caller for {@code permits}; its ticket's future completes on the grant, at once when
     * {@link #tryEnter} would have succeeded.
     */
    Ticket enqueue(int permits) {
        return enqueue(new Ticket(permits, null));
    }

    /** As {@link #enqueue}, for the calling thread, which parks on its ticket ({@code Waits.await}). */
    Ticket enqueueThread(int permits) {
        return enqueue(new Ticket(permits, Thread.currentThread()));
    }

    private Ticket enqueue(Ticket ticket) {
        List<Ticket> ready;
        lock.lock();
        try {
            queue.add(ticket);
            ready = grantable();
        } finally {
            lock.unlock();
        }
        complete(ready);
        return ticket;
    }

    /**
     * Gives up a ticket.
     *
     * @return true when it was granted meanwhile: the caller then owns its permits (keep them or {@link #release})
     */
    boolean abandon(Ticket ticket) {
        List<Ticket> ready;
        lock.lock();
        try {
            if (!queue.remove(ticket)) {
                return true;
            }
            ready = grantable(); // a writer that leaves the head may let the readers behind it in
        } finally {
            lock.unlock();
        }
        complete(ready);
        return false;
    }

    /** Whether the caller at the head of the queue wants all permits (a writer): the next one in is exclusive. */
    boolean writerQueuedFirst() {
        lock.lock();
        try {
            return !queue.isEmpty() && queue.iterator().next().permits == ALL_PERMITS;
        } finally {
            lock.unlock();
        }
    }

    /** Whether nobody is inside: every permit is back. */
    boolean idle() {
        lock.lock();
        try {
            return available == ALL_PERMITS;
        } finally {
            lock.unlock();
        }
    }

    void release(int permits) {
        List<Ticket> ready;
        lock.lock();
        try {
            available += permits;
            ready = grantable();
        } finally {
            lock.unlock();
        }
        complete(ready);
    }

    // Takes permits for the tickets at the head that fit, in order; stops at the first that does not (fairness).
    private List<Ticket> grantable() {
        if (queue.isEmpty()) {
            return List.of(); // the uncontended release: no iterator
        }
        List<Ticket> ready = null;
        for (Iterator<Ticket> it = queue.iterator(); it.hasNext(); ) {
            Ticket head = it.next();
            if (head.permits > available) {
                break;
            }
            available -= head.permits;
            it.remove();
            if (ready == null) {
                ready = new ArrayList<>();
            }
            ready.add(head);
        }
        return ready == null ? List.of() : ready;
    }

    // Outside the lock: a waking thread or an async step must not run under it.
    private static void complete(List<Ticket> ready) {
        for (Ticket ticket : ready) {
            ticket.grant();
        }
    }
}
