package io.github.filelock.internal;

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
 *
 * <p>The queue is a list linked through the tickets themselves: queuing, granting and giving up allocate nothing
 * beyond the ticket and hash nothing. Every hand-off inside a JVM goes through it (issue 16, step 12 of
 * docs/benchmarks.md).
 */
final class Gate {

    static final int ALL_PERMITS = 1 << 20;

    private final ReentrantLock lock = new ReentrantLock(); // held only for bookkeeping, never while blocking
    // guarded by lock: the queue in arrival order
    private Ticket head;
    private Ticket tail;
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
        // guarded by the gate's lock: the neighbours in the queue, and whether it is in it
        private Ticket previous;
        private Ticket next;
        private boolean queued;
        // the tickets granted by one grantable() call, in order; owned by the thread that completes them
        private Ticket nextReady;

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
            if (head == null && available >= permits) {
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
        Ticket ready;
        lock.lock();
        try {
            ticket.previous = tail;
            if (tail == null) {
                head = ticket;
            } else {
                tail.next = ticket;
            }
            tail = ticket;
            ticket.queued = true;
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
        Ticket ready;
        lock.lock();
        try {
            if (!ticket.queued) {
                return true;
            }
            unlink(ticket);
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
            return head != null && head.permits == ALL_PERMITS;
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
        Ticket ready;
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
    // Returns them chained through nextReady, first first, or null.
    private Ticket grantable() {
        Ticket first = null;
        Ticket last = null;
        while (head != null && head.permits <= available) {
            Ticket ticket = head;
            available -= ticket.permits;
            unlink(ticket);
            if (first == null) {
                first = ticket;
            } else {
                last.nextReady = ticket;
            }
            last = ticket;
        }
        return first;
    }

    private void unlink(Ticket ticket) {
        if (ticket.previous == null) {
            head = ticket.next;
        } else {
            ticket.previous.next = ticket.next;
        }
        if (ticket.next == null) {
            tail = ticket.previous;
        } else {
            ticket.next.previous = ticket.previous;
        }
        ticket.previous = null;
        ticket.next = null;
        ticket.queued = false;
    }

    // Outside the lock: a waking thread or an async step must not run under it.
    private static void complete(Ticket ready) {
        while (ready != null) {
            Ticket next = ready.nextReady;
            ready.nextReady = null;
            ready.grant();
            ready = next;
        }
    }
}
