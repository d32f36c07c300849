package io.github.filelock.internal;

import io.github.filelock.FileLockHold;
import io.github.filelock.LockMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** What every hold reports about itself; subclasses decide who may close it and how. */
abstract class HoldBase implements FileLockHold {

    final LockEngine engine;
    final LockFileEntry entry;
    final Holding holding;

    HoldBase(LockEngine engine, LockFileEntry entry, Holding holding) {
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
