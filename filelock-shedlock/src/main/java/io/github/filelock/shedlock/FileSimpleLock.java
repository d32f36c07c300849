package io.github.filelock.shedlock;

import io.github.filelock.FileLockHold;
import java.util.Optional;
import java.util.concurrent.Future;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;

/** One ShedLock lock: a file lock hold, with the two durations of its configuration. */
final class FileSimpleLock extends AbstractSimpleLock {

    private final FileLockHold hold;
    private final LockTimers timers;
    private final Future<?> overrunWarning;

    FileSimpleLock(FileLockHold hold, LockConfiguration configuration, LockTimers timers) {
        super(configuration);
        this.hold = hold;
        this.timers = timers;
        this.overrunWarning = timers.warnIfStillHeld(hold, configuration);
    }

    @Override
    protected void doUnlock() {
        overrunWarning.cancel(false);
        timers.releaseAt(hold, lockConfiguration.getLockAtLeastUntil());
    }

    // Same hold, new durations. A kernel lock is never lost, but a lease (soft-lease, redis) or a database session
    // can be: a lost lock cannot be extended, so the task learns that it no longer runs alone.
    @Override
    protected Optional<SimpleLock> doExtend(LockConfiguration newConfiguration) {
        overrunWarning.cancel(false);
        if (!hold.isValid()) {
            return Optional.empty();
        }
        return Optional.of(new FileSimpleLock(hold, newConfiguration, timers));
    }

    @Override
    public String toString() {
        return "FileSimpleLock[" + lockConfiguration + ", " + hold + "]";
    }
}
