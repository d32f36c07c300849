package io.github.filelock.internal;

import io.github.filelock.LockHolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A file backend whose locks are kernel locks (flock, fcntl/LockFileEx): who holds one elsewhere is read from the
 * kernel's lock table where there is one, and the holder record from the lock file. Subclasses say how a file is
 * opened for that reading and given back.
 */
public abstract class KernelFileBackend extends FileBackend {

    /** Whether a lock file is held outside this process, asked when the kernel's lock table cannot be read. */
    @FunctionalInterface
    protected interface HeldProbe {
        boolean heldElsewhere() throws IOException;
    }

    protected KernelFileBackend(FileSettings settings) {
        super(settings);
    }

    // Read once: -Dfilelock.cohortHandOff=false lets go of the lock at every release, as before issue 16.
    private static final boolean COHORT_HAND_OFF = !"false".equals(System.getProperty("filelock.cohortHandOff"));

    /**
     * A kernel lock can pass between holders of this JVM: its slot confirms it with the check made after locking.
     * Off with {@code -Dfilelock.cohortHandOff=false}.
     */
    @Override
    public final boolean supportsCohortHandOff() {
        return COHORT_HAND_OFF;
    }

    /** The kernel's lock table, where there is one, is read once for all {@code keys}. */
    @Override
    public final List<Elsewhere> inspectElsewhere(List<String> keys) throws IOException {
        KernelLocks kernel = KernelLocks.available() ? KernelLocks.read() : null;
        List<Elsewhere> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            found.add(inspect(fileOf(key), kernel));
        }
        return found;
    }

    /** Who holds {@code file} elsewhere; {@code kernel} is null where the kernel's lock table cannot be read. */
    protected abstract Elsewhere inspect(Path file, KernelLocks kernel) throws IOException;

    /** Held by nobody else, or no such file. */
    protected static Elsewhere notHeld() {
        return new Elsewhere(false, Optional.empty(), Optional.empty());
    }

    /**
     * Who holds {@code file}, open as {@code reading}: the kernel's pid when {@code kernel} is given, else
     * {@code probe}. The holder record is believed only when its pid is the kernel's: otherwise it is a previous
     * holder's, and the current one wrote none.
     */
    protected static Elsewhere inspectOpen(Path file, KernelLocks kernel, KernelLockFile reading, HeldProbe probe)
            throws IOException {
        OptionalLong pid = kernel != null ? kernel.holderOf(file) : OptionalLong.empty();
        boolean held = kernel != null ? pid.isPresent() && pid.getAsLong() != ProcessIdentity.PID
                : probe.heldElsewhere();
        if (!held) {
            return notHeld();
        }
        Optional<LockHolder> record = HolderRecord.parse(reading.read(HolderRecord.MAX_BYTES));
        if (pid.isPresent() && pid.getAsLong() > 0 && record.map(r -> r.pid() != pid.getAsLong()).orElse(false)) {
            record = Optional.empty(); // the record is a previous holder's; the current one wrote none
        }
        return new Elsewhere(true, record, pid.isPresent() ? Optional.of(pid.getAsLong()) : Optional.empty());
    }

    /** The lock name of the holder record in {@code reading}. */
    protected static Optional<String> nameInRecord(KernelLockFile reading) throws IOException {
        return HolderRecord.parse(reading.read(HolderRecord.MAX_BYTES)).flatMap(LockHolder::name);
    }
}
