package io.github.filelock.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
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
