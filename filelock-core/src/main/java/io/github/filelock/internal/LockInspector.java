package io.github.filelock.internal;

import io.github.filelock.FileLockTimeoutException;
import io.github.filelock.LocalHold;
import io.github.filelock.LockHolder;
import io.github.filelock.LockState;
import io.github.filelock.LockStatus;
import io.github.filelock.spi.LockBackend.Elsewhere;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read-only side of a {@link LockSpace}: who holds a lock, here or elsewhere. This JVM's own holders are known
 * from the engine; other processes' from the backend, which reads without taking or dropping a lock.
 */
final class LockInspector {

    private final LockSpace space;

    LockInspector(LockSpace space) {
        this.space = space;
    }

    LockStatus inspect(String name) {
        return statuses(List.of(name)).get(0);
    }

    /**
     * Every key the backend lists, and every key held in this JVM. A key that only a sibling space (soft markers
     * beside flock locks in one directory) knows is that space's lock file, not a lock of this type, and is left out.
     */
    List<LockStatus> scan() {
        Set<String> keys = new LinkedHashSet<>();
        try {
            for (String key : space.backend().knownKeys()) {
                if (space.find(key) != null || !knownToSibling(key)) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the locks of " + space.backend().location(), e);
        }
        for (KeyEntry entry : space.entries()) {
            if (!entry.holders.isEmpty() || entry.keptForNext()) {
                keys.add(entry.key);
            }
        }
        return statuses(List.copyOf(keys));
    }

    private boolean knownToSibling(String key) {
        for (LockSpace sibling : space.siblings()) {
            if (sibling.find(key) != null) {
                return true;
            }
        }
        return false;
    }

    // This JVM's holders first; the backend is asked about the rest in one call (one read of a lock table).
    private List<LockStatus> statuses(List<String> keys) {
        LockStatus[] statuses = new LockStatus[keys.size()];
        List<String> elsewhere = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            LocalHolding local = localHolding(keys.get(i));
            if (local != null) {
                LockHolder holder = new LockHolder(ProcessIdentity.PID, ProcessIdentity.HOST,
                        Optional.of(local.threadName), Optional.of(local.lockName), local.since);
                statuses[i] = new LockStatus(keys.get(i), space.fileOf(keys.get(i)), LockState.HELD_BY_THIS_PROCESS,
                        Optional.of(holder), Optional.of(ProcessIdentity.PID));
            } else if (keptHere(keys.get(i))) {
                // Between two holders of this JVM (the cohort hand-off): held here, by nobody yet.
                statuses[i] = new LockStatus(keys.get(i), space.fileOf(keys.get(i)), LockState.HELD_BY_THIS_PROCESS,
                        Optional.empty(), Optional.of(ProcessIdentity.PID));
            } else {
                elsewhere.add(keys.get(i));
                at.add(i);
            }
        }
        if (!elsewhere.isEmpty()) {
            List<Elsewhere> found;
            try {
                found = space.backend().inspectElsewhere(elsewhere);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot inspect " + (elsewhere.size() == 1
                        ? space.backend().locationOf(elsewhere.get(0))
                        : "the locks of " + space.backend().location()), e);
            }
            for (int j = 0; j < elsewhere.size(); j++) {
                String key = elsewhere.get(j);
                Elsewhere e = found.get(j);
                statuses[at.get(j)] = new LockStatus(key, space.fileOf(key),
                        e.held() ? LockState.HELD_BY_OTHER_PROCESS : LockState.FREE,
                        e.held() ? e.holder() : Optional.empty(), e.held() ? e.pid() : Optional.empty());
            }
        }
        return List.of(statuses);
    }

    // Held by this JVM through this space, or through a sibling space on the same directory.
    private LocalHolding localHolding(String key) {
        for (KeyEntry entry : localEntries(key)) {
            LocalHolding holding = firstHolding(entry);
            if (holding != null) {
                return holding;
            }
        }
        return null;
    }

    // Kept for the next writer of this JVM (the cohort hand-off), in this space or a sibling on the same directory.
    private boolean keptHere(String key) {
        for (KeyEntry entry : localEntries(key)) {
            if (entry.keptForNext()) {
                return true;
            }
        }
        return false;
    }

    // This JVM's entries of `key`: this space's first, then those of sibling spaces on the same directory.
    private List<KeyEntry> localEntries(String key) {
        List<KeyEntry> found = new ArrayList<>(1);
        KeyEntry own = space.find(key);
        if (own != null) {
            found.add(own);
        }
        for (LockSpace sibling : space.siblings()) {
            KeyEntry entry = sibling.find(key);
            if (entry != null) {
                found.add(entry);
            }
        }
        return found;
    }

    private static LocalHolding firstHolding(KeyEntry entry) {
        for (LocalHolding holding : entry.holders.values()) {
            return holding;
        }
        return null;
    }

    List<LocalHold> heldLocks() {
        List<LocalHold> held = new ArrayList<>();
        for (KeyEntry entry : space.entries()) {
            for (Map.Entry<Object, LocalHolding> e : entry.holders.entrySet()) {
                LocalHolding h = e.getValue();
                held.add(new LocalHold(h.lockName, entry.file, h.mode, h.threadName, h.count(), h.since));
            }
        }
        return held;
    }

    List<LocalHold> pendingReleases() {
        List<LocalHold> pending = new ArrayList<>();
        for (PendingRelease release : space.pendingReleases()) {
            LocalHolding h = release.holding;
            pending.add(new LocalHold(h.lockName, release.entry.file, h.mode, h.threadName, 0, h.since));
        }
        return pending;
    }

    FileLockTimeoutException timeoutException(String name, Duration waited) {
        TestHooks.reach("LockEngine.timeoutException", name); // costly (inspect, stack trace): tests count these
        Path file = space.fileOf(name);
        Optional<LockHolder> holder = Optional.empty();
        Optional<Long> kernelPid = Optional.empty();
        try {
            LockStatus status = inspect(name);
            holder = status.holder();
            kernelPid = status.kernelPid();
        } catch (RuntimeException e) {
            Log.LOGGER.log(Level.DEBUG, "Could not read the holder of " + space.backend().locationOf(name), e);
        }
        return new FileLockTimeoutException(name, file, waited, holder, kernelPid);
    }
}
