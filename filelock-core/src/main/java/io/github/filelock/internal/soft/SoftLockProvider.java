package io.github.filelock.internal.soft;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMechanism;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.os.FlockLockProvider;
import io.github.filelock.internal.os.OsLockFile;
import io.github.filelock.internal.os.OsLockProvider;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soft locks: the lock is the existence of a marker file at the lock path, created with {@code O_EXCL} and
 * holding {@code pid\nhost\nstart_token\n} as Python filelock's {@code SoftFileLock} writes it. For file systems
 * where {@code flock(2)} is missing or lies (NFS without lockd, SMB, some FUSE file systems).
 */
public final class SoftLockProvider implements OsLockProvider {

    static final System.Logger LOG = System.getLogger("io.github.filelock");

    // One daemon thread refreshes every held marker of the JVM; a beat is a futimens and a statx.
    private static final ScheduledThreadPoolExecutor HEARTBEATS = heartbeatExecutor();

    private final Duration heartbeat;
    private final Duration lease;
    private final MarkerBreaker breaker;
    private final byte[] ownMarker;
    private final AtomicLong lostHolds = new AtomicLong();
    private final AtomicLong brokenMarkers = new AtomicLong();

    public SoftLockProvider(Duration heartbeat, Duration lease) {
        MarkerSyscalls.load();
        this.heartbeat = heartbeat;
        this.lease = lease;
        this.breaker = new MarkerBreaker(new StaleJudge(lease), brokenMarkers::incrementAndGet);
        this.ownMarker = new MarkerOwner(ProcessIdentity.PID, ProcessIdentity.HOST,
                StartTokens.of(ProcessIdentity.PID)).format();
    }

    /** A soft lock's marker is deleted on every release already; idle-file deletion does not apply. */
    @Override
    public boolean detectsDeletedFiles() {
        return false;
    }

    @Override
    public LockMechanism mechanism() {
        return LockMechanism.SOFT;
    }

    /** Never creates anything: the marker is created when the lock is taken. */
    @Override
    public OsLockFile open(Path file, Set<PosixFilePermission> permissions, boolean create) {
        return new SoftLockFile(this, file, FlockLockProvider.modeBits(permissions));
    }

    @Override
    public boolean lockIsFileExistence() {
        return true;
    }

    /** The holder a marker names; its thread is unknown (the protocol does not record one). */
    @Override
    public Optional<LockHolder> markerHolder(Path file, String lockName) throws IOException {
        Observed seen = MarkerFiles.observe(file, Paths.cString(file));
        if (seen == null) {
            return Optional.empty();
        }
        return MarkerOwner.parse(seen.content()).map(o -> new LockHolder(o.pid(), o.host(), Optional.empty(),
                Optional.of(lockName), seen.stat().since()));
    }

    @Override
    public long lostHolds() {
        return lostHolds.get();
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

    void countLostHold() {
        lostHolds.incrementAndGet();
    }

    ScheduledFuture<?> startHeartbeat(SoftLockFile held) {
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
