package io.github.filelock.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How a thread blocks on one of the engine's waits (a gate ticket, a kernel wait): parked, never polling. */
final class Waits {

    private Waits() {
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
