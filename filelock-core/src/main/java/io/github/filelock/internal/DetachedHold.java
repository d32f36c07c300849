package io.github.filelock.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hold that belongs to no thread: async work takes it on one thread and releases it on whichever thread
 * completes the work. Not reentrant. Closing it twice, from any threads, releases once.
 */
final class DetachedHold implements FileLockHold {

    private final LockEngine engine;
    private final LockFileEntry entry;
    private final Holding holding;
    private final AtomicBoolean open = new AtomicBoolean(true);

    DetachedHold(LockEngine engine, LockFileEntry entry, Holding holding) {
        this.engine = engine;
        this.entry = entry;
        this.holding = holding;
    }

    @Override
    public String name() {
        return holding.lockName;
    }

    @Override
    public Path file() {
        return entry.file;
    }

    @Override
    public Instant acquiredAt() {
        return holding.since;
    }

    @Override
    public LockMode mode() {
        return holding.mode;
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            engine.releaseDetached(entry, holding, this);
        }
    }

    @Override
    public String toString() {
        return "FileLockHold[" + LockNames.abbreviate(holding.lockName) + ", " + holding.mode + ", detached]";
    }
}
