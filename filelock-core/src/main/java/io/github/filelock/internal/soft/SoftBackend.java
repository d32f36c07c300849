package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockHolder;
import io.github.filelock.LockType;
import io.github.filelock.internal.FileBackend;
import io.github.filelock.internal.FileSettings;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.Platform;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soft locks: the lock is the existence of a marker file at the lock path, created with {@code O_EXCL} and holding
 * {@code pid\nhost\nstart_token\n} as Python filelock's {@code SoftFileLock} writes it. For file systems where
 * {@code flock(2)} is missing or lies (NFS without lockd, SMB, some FUSE file systems). Linux only: the breaking
 * protocol compares inodes with {@code statx(2)}.
 */
public final class SoftBackend extends FileBackend {

    // One daemon thread refreshes every held marker of the JVM; a beat is a futimens and a statx.
    private static final ScheduledThreadPoolExecutor HEARTBEATS = heartbeatExecutor();

    private final Duration heartbeat;
    private final Duration lease;
    private final MarkerBreaker breaker;
    private final byte[] ownMarker;
    private final AtomicLong brokenMarkers = new AtomicLong();

    /**
     * @throws UnsupportedOperationException naming the platform when soft markers are not supported here
     * @throws IllegalStateException when asked to delete idle files: markers are deleted on every release already
     */
    public SoftBackend(FileSettings settings, Duration heartbeat, Duration lease) {
        super(settings);
        Platform platform = Platform.current();
        if (platform == null || !platform.linux()) {
            throw new UnsupportedOperationException("soft locks need Linux (statx(2) and /proc) on x86_64 or"
                    + " aarch64, not " + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        try {
            LibC.load();
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("JNA could not load libc: " + e, e);
        }
        if (settings.deleteIdleFiles()) {
            throw new IllegalStateException("deleteIdleLockFiles cannot be used with SOFT locks: they delete their"
                    + " marker on every release already. Keep lock files (the default).");
        }
        this.heartbeat = heartbeat;
        this.lease = lease;
        this.breaker = new MarkerBreaker(new StaleJudge(lease), brokenMarkers::incrementAndGet);
        this.ownMarker = new MarkerOwner(ProcessIdentity.PID, ProcessIdentity.HOST,
                StartTokens.of(ProcessIdentity.PID)).format();
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

    /** A marker at the path means held (or stale) by whoever it names; its thread is unknown to the protocol. */
    @Override
    public List<Elsewhere> inspectElsewhere(List<String> keys) throws IOException {
        List<Elsewhere> found = new ArrayList<>(keys.size());
        for (String key : keys) {
            Path file = fileOf(key);
            Observed seen = MarkerFiles.observe(file, CPath.of(file));
            Optional<LockHolder> holder = seen == null ? Optional.empty() : MarkerOwner.parse(seen.content())
                    .map(o -> new LockHolder(o.pid(), o.host(), Optional.empty(), Optional.of(key),
                            seen.stat().since()));
            found.add(new Elsewhere(seen != null, holder, Optional.empty()));
        }
        return found;
    }

    /**
     * Removes the marker at {@code key}'s path on an operator's word, only if it is still the very marker that was
     * read: it is renamed aside, then its inode, birth time and content are compared with what was read, and only
     * then unlinked. A marker that replaced it meanwhile (file systems reuse a freed inode at once, so the inode
     * alone proves nothing) is linked back, which never replaces one created since. This JVM's own marker is
     * refused: it is released here, not broken.
     *
     * @throws IllegalStateException when the marker names this JVM, or changed while it was being broken
     */
    @Override
    public Optional<LockHolder> breakLock(String key) throws IOException {
        Path file = fileOf(key);
        byte[] path = CPath.of(file);
        Observed seen = MarkerFiles.observe(file, path);
        if (seen == null) {
            return Optional.empty();
        }
        if (Arrays.equals(seen.content(), ownMarker)) {
            throw new IllegalStateException("The soft marker " + file + " names this JVM (pid " + ProcessIdentity.PID
                    + "): release the lock here instead of breaking it.");
        }
        LockHolder holder = MarkerOwner.parse(seen.content())
                .map(o -> new LockHolder(o.pid(), o.host(), Optional.empty(), Optional.of(key), seen.stat().since()))
                .orElseGet(() -> new LockHolder(-1, "unknown (unreadable marker)", Optional.empty(), Optional.of(key),
                        seen.stat().since()));
        TestHooks.reach("SoftBackend.breaking", file); // read, not yet removed: a new holder may take it here
        Path asideFile = Path.of(file + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".broken");
        byte[] aside = CPath.of(asideFile);
        try {
            LibC.rename(path, aside);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return Optional.empty();
            }
            throw MarkerFiles.failure("rename", file, e);
        }
        boolean same = false;
        try {
            Observed moved = MarkerFiles.observe(asideFile, aside);
            same = moved != null && moved.stat().sameFile(seen.stat())
                    && Objects.equals(moved.stat().born(), seen.stat().born())
                    && Arrays.equals(moved.content(), seen.content());
        } finally {
            if (!same) {
                putBack(file, path, aside);
            }
            try {
                LibC.unlink(aside);
            } catch (LastErrorException e) {
                Log.LOGGER.log(System.Logger.Level.WARNING, "Could not delete " + asideFile + ": "
                        + Errno.describe(e.getErrorCode()));
            }
        }
        if (!same) {
            throw new IllegalStateException("The soft marker " + file + " changed while it was being broken: a new"
                    + " holder took it, and it was left in place. Inspect it again before breaking it.");
        }
        return Optional.of(holder);
    }

    // link(2) never replaces a marker created since the rename; if one was, the moved one is lost, and said so.
    private static void putBack(Path file, byte[] path, byte[] aside) {
        try {
            LibC.link(aside, path);
        } catch (LastErrorException e) {
            Log.LOGGER.log(System.Logger.Level.ERROR, "The soft marker " + file + " that replaced the one an operator"
                    + " broke could not be put back (" + Errno.describe(e.getErrorCode()) + "): a marker created"
                    + " meanwhile took its place, and its holder no longer excludes it.");
        }
    }

    /** A marker does not name its lock. */
    @Override
    protected Optional<String> recordedName(Path file) {
        return Optional.empty();
    }

    /** Stale markers this JVM removed. */
    public long brokenMarkers() {
        return brokenMarkers.get();
    }

    public Duration heartbeat() {
        return heartbeat;
    }

    public Duration lease() {
        return lease;
    }

    MarkerBreaker breaker() {
        return breaker;
    }

    byte[] ownMarker() {
        return ownMarker;
    }

    ScheduledFuture<?> startHeartbeat(SoftSlot held) {
        long period = heartbeat.toNanos();
        return HEARTBEATS.scheduleAtFixedRate(held::beat, period, period, TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor heartbeatExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "filelock-soft-heartbeat");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
