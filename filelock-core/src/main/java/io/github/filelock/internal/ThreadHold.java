package io.github.filelock.internal;

import java.time.Duration;

/** A hold owned by the thread that took it; closing it releases exactly one hold, once. */
final class ThreadHold extends HoldHandle {

    private final Thread owner;
    private boolean open = true; // only the owner thread changes it

    ThreadHold(LockEngine engine, KeyEntry entry, LocalHolding holding, Thread owner) {
        super(engine, entry, holding);
        this.owner = owner;
    }

    @Override
    public boolean isThreadBound() {
        return true; // owned by the thread that took it
    }

    @Override
    public boolean isOpen() {
        return open && LockEngine.isLive(entry, holding, owner);
    }

    @Override
    public void close() {
        closeHoldingAtLeast(Duration.ZERO);
    }

    @Override
    public void closeHoldingAtLeast(Duration holdAtLeast) {
        HoldHandle.checkMinimum(holdAtLeast);
        if (!open) {
            return;
        }
        engine.release(entry, holding, owner, holdAtLeast);
        open = false;
    }

    @Override
    public String toString() {
        return describe("thread " + owner.getName());
    }
}
