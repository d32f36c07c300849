package io.github.filelock;

import io.github.filelock.internal.LockEngine;
import java.nio.file.Path;
import java.util.List;

/**
 * What a registry can tell about its locks without taking or releasing any: {@link FileLockRegistry#diagnostics()}.
 * For endpoints, health checks, metrics, logs and tests; code that locks needs none of it.
 */
public final class FileLockDiagnostics {

    private final FileLockRegistry registry;
    private final LockEngine engine;

    FileLockDiagnostics(FileLockRegistry registry, LockEngine engine) {
        this.registry = registry;
        this.engine = engine;
    }

    /**
     * Who holds {@code name}, in this process or another. Reading never takes or releases the lock: on Linux
     * the kernel's lock table tells whether the file is locked, and the holder record is read through the
     * one descriptor this JVM keeps for the file.
     */
    public LockStatus inspect(String name) {
        return engine.inspect(registry.checkName(name));
    }

    /** Every lock file in the directory, with its state and recorded holder. */
    public List<LockStatus> scan() {
        return engine.scan();
    }

    /** Holds of this JVM in this directory: threads' and detached ones. */
    public List<LocalHold> localHolds() {
        return engine.heldLocks();
    }

    /**
     * Locks in this directory whose last hold was closed with {@link FileLockHold#closeHoldingAtLeast} and that are
     * kept until their minimum hold time is over ({@code holdCount} 0, {@code thread} the one that took them).
     */
    public List<LocalHold> pendingReleases() {
        return engine.pendingReleases();
    }

    /** Callers of this JVM waiting for a lock in this directory: threads and async acquisitions. */
    public List<LockWaiter> waiters() {
        return engine.waiters();
    }

    /**
     * The file that backs {@code name}.
     *
     * @throws IllegalStateException on a registry whose backend has no lock files
     */
    public Path lockFile(String name) {
        return registry.requireFiles(engine.lockFile(registry.checkName(name)));
    }

    /** Where this registry's locks live, for messages: the lock directory, or a database URL without credentials. */
    public String location() {
        return registry.backend().location();
    }

    /** Where the lock of {@code name} lives, for messages: its lock file, or its advisory key and database. */
    public String locationOf(String name) {
        return registry.backend().locationOf(registry.checkName(name));
    }

    /**
     * How many holds this JVM found lost on this registry's backend: soft locks whose marker was broken because it
     * was not refreshed within the lease (see {@link FileLockRegistry.Builder#softLease}), or server sessions that
     * ended. Each is also logged at ERROR and makes its holds' {@link FileLockHold#isValid()} false. Always 0 for flock
     * and FileChannel locks, which the kernel never takes away. Monotonic, for a metrics counter.
     */
    public long lostHolds() {
        return registry.lostHolds();
    }
}
