package io.github.filelock.internal.soft;

import io.github.filelock.LockHolder;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileBackend;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * The {@code soft} type: the lock is the existence of a marker file at the lock path, created with {@code O_EXCL} and
 * holding {@code pid\nhost\nstart_token\n}, with the contract of Python filelock 3.32's {@code SoftFileLock}. A
 * marker is broken only on proof that its holder is gone (same host and pid namespace: the pid is dead, or reused),
 * when it names no holder and is two seconds old, or by an operator ({@link #breakLock}); another host's marker is
 * held until its holder removes it. For file systems where {@code flock(2)} is missing or lies (NFS without lockd,
 * SMB, some FUSE file systems). Linux only: the breaking protocol compares inodes with {@code statx(2)}.
 */
public final class SoftBackend extends FileBackend {


    private final Duration pollInterval;
    private final MarkerBreaker breaker;
    private final byte[] ownMarker;
    private final AtomicLong brokenMarkers = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param pollInterval how often a waiting lock retries
     * @throws UnsupportedOperationException naming the platform when soft markers are not supported here
     * @throws IllegalStateException when asked to delete idle files: markers are deleted on every release already,
     *     or when another copy of this library in this JVM uses soft locks ({@link SoftCopies})
     */
    public SoftBackend(FileSettings settings, Duration pollInterval) {
        super(settings);
        SoftPlatform.require("soft", "statx(2) and /proc", settings,
                "they delete their marker on every release already");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("The soft poll interval must be positive, was " + pollInterval);
        }
        this.pollInterval = pollInterval;
        this.breaker = new MarkerBreaker(new StaleJudge(), brokenMarkers::incrementAndGet);
        this.ownMarker = MarkerOwner.self().format();
        SoftCopies.opened(settings.directory()); // last: a backend that fails to build claims nothing
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            SoftCopies.closed();
        }
    }

    @Override
    public String type() {
        return LockType.SOFT.id();
    }

    /** A marker is the process's (its pid is in it): a second slot's marker would be judged as the first one's. */
    @Override
    public boolean independentSlots() {
        return false;
    }

    @Override
    public LockSlot openSlot(String key, Runnable onLoss) {
        return new SoftSlot(this, fileOf(key), onLoss);
    }

    /**
     * A marker at the path means held (or stale) by whoever it names; its thread is unknown to the protocol. A
     * strict-soft sentinel is reported as held, by nobody.
     */
    @Override
    public List<Elsewhere> inspectElsewhere(List<String> keys) throws IOException {
        List<Elsewhere> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            Path file = fileOf(key);
            Observed seen = MarkerFiles.observe(file, CPath.of(file));
            found.add(new Elsewhere(seen != null, seen == null ? Optional.empty() : holder(key, seen),
                    Optional.empty()));
        }
        return found;
    }

    /**
     * Removes the marker at {@code key}'s path on an operator's word, only if it is still the very marker that was
     * read: it is renamed aside, then its inode and content are compared with what was read, and only then unlinked.
     * A marker that replaced it meanwhile (file systems reuse a freed inode at once, so the inode alone proves
     * nothing) is linked back, which never replaces one created since. This JVM's own marker is refused: it is
     * released here, not broken. Returns the holder the marker named (unknown for a malformed one); empty when no
     * marker was there.
     *
     * @throws IllegalStateException when the marker names this JVM, or changed while it was being broken
     * @throws UnsupportedOperationException when the path holds a strict-soft sentinel: it is no holder, and never
     *     removed (the refusal the SPI gives for what cannot be broken; its cause says what the sentinel is)
     */
    @Override
    public Optional<LockHolder> breakLock(String key) throws IOException {
        Path file = fileOf(key);
        Lock breaking = OwnMarkers.breaking(file); // no slot here creates at the path while the marker is moved aside
        breaking.lock();
        try {
            return breakMarker(key, file, CPath.of(file));
        } finally {
            breaking.unlock();
        }
    }

    private Optional<LockHolder> breakMarker(String key, Path file, byte[] path) throws IOException {
        Observed seen = MarkerFiles.observe(file, path);
        if (seen == null) {
            return Optional.empty();
        }
        if (StrictSentinel.is(seen.content())) {
            StrictSentinelException sentinel = new StrictSentinelException(file);
            throw new UnsupportedOperationException(sentinel.getMessage() + " An operator break removes strict-soft"
                    + " claims, not the sentinel: break the name on a strict-soft registry.", sentinel);
        }
        if (Arrays.equals(seen.content(), ownMarker)) {
            throw new IllegalStateException("The soft marker " + file + " names this JVM (pid " + ProcessIdentity.PID
                    + "): release the lock here instead of breaking it.");
        }
        TestHooks.reach("SoftBackend.breaking", file); // read, not yet removed: a new holder may take it here
        return switch (MarkerFiles.removeIfSame(path, seen.stat(), seen.content())) {
            case REMOVED -> {
                brokenMarkers.incrementAndGet();
                yield Optional.of(holder(key, seen).orElseGet(() -> new LockHolder(-1, "unknown (unreadable marker)",
                        Optional.empty(), Optional.of(key), seen.stat().since())));
            }
            case GONE -> Optional.empty();
            case OTHER -> throw new IllegalStateException("The soft marker " + file + " changed while it was being"
                    + " broken: a new holder took it, and it was left in place. Inspect it again before breaking it.");
        };
    }

    // The sentinel parses as pid 1 on host "filelock-strict-v1\0", and names no holder.
    private static Optional<LockHolder> holder(String key, Observed seen) {
        if (StrictSentinel.is(seen.content())) {
            return Optional.empty();
        }
        return MarkerOwner.parse(seen.content()).map(o -> new LockHolder(o.pid(), o.host(), Optional.empty(),
                Optional.of(key), seen.stat().since()));
    }

    /** A marker does not name its lock. */
    @Override
    protected Optional<String> recordedName(Path file) {
        return Optional.empty();
    }

    /** Stale markers this JVM removed, and markers an operator broke through it. */
    public long brokenMarkers() {
        return brokenMarkers.get();
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    MarkerBreaker breaker() {
        return breaker;
    }

    byte[] ownMarker() {
        return ownMarker;
    }
}
