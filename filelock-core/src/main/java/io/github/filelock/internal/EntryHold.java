package io.github.filelock.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.nio.file.Path;
import java.time.Instant;

/** A hold handed out by {@link LockEngine}; closing it releases exactly one hold, once. */
final class EntryHold implements FileLockHold {

    private final LockEngine engine;
    private final LockFileEntry entry;
    private final String name;
    private final Thread owner;
    private final Instant acquiredAt;
    private boolean open = true; // only the owner thread changes it

    EntryHold(LockEngine engine, LockFileEntry entry, String name, Thread owner) {
        this.engine = engine;
        this.entry = entry;
        this.name = name;
        this.owner = owner;
        this.acquiredAt = entry.acquiredAt();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path file() {
        return entry.file;
    }

    @Override
    public Instant acquiredAt() {
        return acquiredAt;
    }

    @Override
    public LockMode mode() {
        return LockMode.EXCLUSIVE;
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
        engine.release(entry, name, owner);
        open = false;
    }

    @Override
    public String toString() {
        return "FileLockHold[" + LockNames.abbreviate(name) + ", " + entry.file + ", thread " + owner.getName() + "]";
    }
}
