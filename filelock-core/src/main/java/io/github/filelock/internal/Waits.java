package io.github.filelock.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
