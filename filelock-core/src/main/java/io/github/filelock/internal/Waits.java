package io.github.filelock.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/** How a thread blocks on one of the engine's waits (a gate ticket, a kernel wait): parked, never polling. */
final class Waits {

    private Waits() {
    }

    /**
     * As {@link #await(CompletableFuture, long, boolean, boolean)}, and ends as a timeout ({@link TimeoutException})
     * as soon as {@code drain} starts, even when waiting forever. The thread parks on a future of its own that the
     * wait or the drain completes, so the shared wait gains one short-lived dependent and the drain never holds on
     * to a finished waiter.
     */
    static void await(CompletableFuture<?> wait, long deadline, boolean forever, boolean interruptible, Drain drain)
            throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Void> woken = new CompletableFuture<>();
        Runnable wake = () -> woken.complete(null);
        wait.whenComplete((result, error) -> wake.run());
        drain.onDrain(wake);
        try {
            await(woken, deadline, forever, interruptible);
        } finally {
            drain.forget(wake);
        }
        if (!wait.isDone()) {
            throw new TimeoutException("the registry is draining");
        }
        if (wait.isCompletedExceptionally()) {
            wait.get(); // throws the wait's own failure, as an ExecutionException
        }
    }

    /**
     * Parks the calling thread until its gate ticket ({@link Gate#enqueueThread}) is granted, or until
     * {@code deadline} ({@link System#nanoTime()}) unless forever, or until {@code drain} starts (then it ends as a
     * timeout). A grant that came first wins over a timeout, an interrupt or a drain. When not
     * {@code interruptible}, an interrupt is kept for the caller and the wait goes on.
     */
    static void await(Gate.Ticket ticket, long deadline, boolean forever, boolean interruptible, Drain drain)
            throws InterruptedException, TimeoutException {
        drain.onDrain(ticket);
        boolean interrupted = false;
        try {
            while (!ticket.isGranted()) {
                if (drain.draining()) {
                    throw new TimeoutException("the registry is draining");
                }
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interrupted = true; // cleared, or park would return at once; given back below
                }
                if (forever) {
                    LockSupport.park(ticket);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException();
                    }
                    LockSupport.parkNanos(ticket, left);
                }
            }
        } finally {
            drain.forget(ticket);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Blocks until {@code wait} completes, or until {@code deadline} ({@link System#nanoTime()}) unless forever. */
    static void await(CompletableFuture<?> wait, long deadline, boolean forever, boolean interruptible)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (forever && !interruptible) {
            wait.join();
        } else if (forever) {
            wait.get();
        } else {
            wait.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
