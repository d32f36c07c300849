package io.github.filelock;

import io.github.filelock.internal.LockNames;
import java.util.Optional;

/**
 * Why this JVM must not break a lock: it holds it (a hold, or one kept for its minimum hold time) or waits for it.
 * Breaking its own claim would let another process in beside its own holder.
 */
final class LocalUse {

    private LocalUse() {
    }

    static void refuseBreak(FileLockDiagnostics diagnostics, String name) {
        Optional<String> use = diagnostics.localHolds().stream().filter(hold -> hold.name().equals(name))
                .map(hold -> "holds it (thread " + hold.thread() + ", since " + hold.acquiredAt() + ")").findFirst()
                .or(() -> diagnostics.pendingReleases().stream().filter(hold -> hold.name().equals(name))
                        .map(hold -> "keeps it for its minimum hold time (taken by thread " + hold.thread() + ")")
                        .findFirst())
                .or(() -> diagnostics.waiters().stream().filter(waiter -> waiter.name().equals(name))
                        .map(waiter -> "waits for it (thread " + waiter.thread() + ", since " + waiter.waitingSince()
                                + ")")
                        .findFirst());
        use.ifPresent(what -> {
            throw new IllegalStateException("Refusing to break lock '" + LockNames.abbreviate(name) + "': this JVM "
                    + what + ". Release it here (close the hold, let the method return) or let the wait end, or"
                    + " break it from a process that does not use this name.");
        });
    }
}
