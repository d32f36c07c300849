package io.github.filelock.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lock whose last hold is closed but that is kept until its minimum hold time is over
 * ({@link io.github.filelock.FileLockHold#closeHoldingAtLeast}). It stands in the entry's holders for the owner
 * that has moved on, and leaves the lock, once, from the space's release scheduler.
 */
final class PendingRelease implements Runnable {

    final KeyEntry entry;
    final LocalHolding holding;
    private final Runnable leave;
    private final AtomicBoolean done = new AtomicBoolean();

    PendingRelease(KeyEntry entry, LocalHolding holding, Runnable leave) {
        this.entry = entry;
        this.holding = holding;
        this.leave = leave;
    }

    /** Leaves the lock; only the first call does (the scheduler's, or an earlier one at shutdown). */
    @Override
    public void run() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        try {
            entry.holders.remove(this);
            leave.run();
        } catch (RuntimeException | Error e) {
            // No caller to tell: the scheduler thread is the library's. The log names the lock.
            Log.LOGGER.log(Level.WARNING, "Releasing lock '" + LockNames.abbreviate(holding.lockName)
                    + "' after its minimum hold time failed", e);
        }
    }
}
