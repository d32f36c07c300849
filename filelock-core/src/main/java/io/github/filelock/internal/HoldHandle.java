package io.github.filelock.internal;

import io.github.filelock.FileLockException;
import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A handle on a {@link LocalHolding}: what every hold reports about itself; subclasses decide who may close it. */
abstract class HoldHandle implements FileLockHold {

    final LockEngine engine;
    final KeyEntry entry;
    final LocalHolding holding;

    HoldHandle(LockEngine engine, KeyEntry entry, LocalHolding holding) {
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
    public boolean isValid() {
        return isOpen() && !holding.isLost();
    }

    @Override
    public void whenLost(Runnable action) {
        Objects.requireNonNull(action, "action must not be null");
        holding.whenLost(action);
    }

    @Override
    public long fencingToken() {
        String name = LockNames.abbreviate(holding.lockName);
        if (holding.mode != LockMode.EXCLUSIVE) {
            throw new IllegalStateException("Lock '" + name + "' is held SHARED: fencing tokens order exclusive holds"
                    + " only, and readers that share a lock would share its token."
                    + " Take the lock EXCLUSIVE to get one.");
        }
        if (!engine.space().backend().supportsFencingTokens()) {
            throw new UnsupportedOperationException("The " + engine.space().type().id() + " backend ("
                    + engine.space().backend().getClass().getName() + ") gives no fencing tokens: use flock locks"
                    + " (the default on Linux and macOS) or the postgres backend for locks that need them.");
        }
        if (!isOpen()) {
            throw new IllegalStateException("This hold of lock '" + name + "' is closed: a fencing token is given"
                    + " only while the lock is held. Ask for it inside the locked work.");
        }
        TestHooks.reach("HoldHandle.fencing", this); // tests close a detached hold here, from another caller
        try {
            return holding.fencingToken(() -> entry.nextFencingToken(engine.durableFencingTokens(), this::isOpen));
        } catch (IOException e) {
            throw new FileLockException("Cannot give a fencing token for lock '" + name + "': " + e.getMessage(), e);
        }
    }

    static void checkMinimum(Duration holdAtLeast) {
        Objects.requireNonNull(holdAtLeast, "holdAtLeast must not be null (use Duration.ZERO for none)");
        if (holdAtLeast.isNegative()) {
            throw new IllegalArgumentException("holdAtLeast must not be negative, was " + holdAtLeast);
        }
    }

    String describe(String owner) {
        return "FileLockHold[" + LockNames.abbreviate(holding.lockName) + ", " + holding.mode + ", " + owner + "]";
    }
}
