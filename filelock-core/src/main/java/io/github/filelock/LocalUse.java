package io.github.filelock;

import io.github.filelock.internal.LockNames;
import java.util.Optional;

/**
 * Why this JVM must not break a lock: it holds it (a hold, or one kept for its minimum hold time). Breaking its own
 * claim would let another process in beside its own holder. Waiting for it is no reason: the waiter simply gets it,
 * and a fleet whose instances all wait for a stuck name must be unblockable from any of them.
 */
final class LocalUse {

    private LocalUse() {
    }

    static void refuseBreak(FileLockDiagnostics diagnostics, String name) {
        // A kept lock is listed among the holds too: name it as kept, since its hold is closed already.
        Optional<String> use = diagnostics.pendingReleases().stream().filter(hold -> hold.name().equals(name))
                .map(hold -> "keeps it for its minimum hold time (taken by thread " + hold.thread() + "): it is"
                        + " released here when that time is over")
                .findFirst()
                .or(() -> diagnostics.localHolds().stream().filter(hold -> hold.name().equals(name))
                        .map(hold -> "holds it (thread " + hold.thread() + ", since " + hold.acquiredAt() + "). Release"
                                + " it here (close the hold, let the method return)")
                        .findFirst());
        use.ifPresent(what -> {
            throw new IllegalStateException("Refusing to break lock '" + LockNames.abbreviate(name) + "': this JVM "
                    + what + ", or break it from a process that does not hold this name.");
        });
    }
}
