package io.github.filelock.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hold that belongs to no thread: async work takes it on one thread and releases it on whichever thread
 * completes the work. Not reentrant. Closing it twice, from any threads, releases once.
 */
final class DetachedHold extends HoldHandle {

    private final AtomicBoolean open = new AtomicBoolean(true);

    DetachedHold(LockEngine engine, KeyEntry entry, LocalHolding holding) {
        super(engine, entry, holding);
    }

    @Override
    public boolean isThreadBound() {
        return false; // any thread may close it, once
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    @Override
    public void close() {
        closeHoldingAtLeast(Duration.ZERO);
    }

    @Override
    public void closeHoldingAtLeast(Duration holdAtLeast) {
        HoldHandle.checkMinimum(holdAtLeast);
        if (open.compareAndSet(true, false)) {
            engine.releaseDetached(entry, holding, this, holdAtLeast);
        }
    }

    @Override
    public String toString() {
        return describe("detached");
    }
}
