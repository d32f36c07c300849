package io.github.filelock.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.nio.file.Path;
import java.time.Instant;

/** A hold owned by the thread that took it; closing it releases exactly one hold, once. */
final class EntryHold implements FileLockHold {

    private final LockEngine engine;
    private final LockFileEntry entry;
    private final Holding holding;
    private final Thread owner;
    private boolean open = true; // only the owner thread changes it

    EntryHold(LockEngine engine, LockFileEntry entry, Holding holding, Thread owner) {
        this.engine = engine;
        this.entry = entry;
        this.holding = holding;
        this.owner = owner;
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
        return open;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        engine.release(entry, holding, owner);
        open = false;
    }

    @Override
    public String toString() {
        return "FileLockHold[" + LockNames.abbreviate(holding.lockName) + ", " + holding.mode + ", thread "
                + owner.getName() + "]";
    }
}
