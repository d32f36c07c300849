package io.github.filelock.internal.soft.lease;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.soft.MarkerFiles;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.MarkerStat;
import io.github.filelock.internal.soft.lease.LeaseBreaker.Outcome;
import io.github.filelock.internal.soft.lease.LeaseFiles.Removal;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code soft-lease} lock: held while the marker this slot created, with its own token, is at the lock path.
 * Taking it is an {@code O_EXCL} create (after breaking a stale marker, see {@link LeaseBreaker}); while held, a
 * heartbeat ({@link #beat()}) checks that the path still names our marker, then refreshes its mtime; releasing removes
 * it only when it is provably ours. A lost hold is reported through {@code onLoss} once per grant.
 *
 * <p>Guarded by a {@code ReentrantLock}, not a monitor, as {@code SoftSlot} is: the heartbeat thread calls in, and a
 * virtual thread releasing during a beat must not pin its carrier.
 */
final class LeaseSlot implements LockSlot {

    static final long FIRST_POLL_MS = 5;
    private static final int BREAK_ATTEMPTS = 4;

    private final LeaseBackend backend;
    private final Path file;
    private final byte[] path;
    private final Runnable onLoss;
    private volatile boolean abandoned;
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private int fd = -1;
    private MarkerStat ours;
    private String token;
    private ScheduledFuture<?> heartbeat;
    private boolean lost;
    private long lastRefresh; // System.nanoTime() of the last beat that refreshed our marker

    LeaseSlot(LeaseBackend backend, Path file, Runnable onLoss) {
        this.backend = backend;
        this.file = file;
        this.path = CPath.of(file);
        this.onLoss = onLoss;
    }

    @Override
    public boolean tryLock(LockMode lockMode) throws IOException {
        if (lockMode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("soft-lease locks are exclusive only, and " + file + " was asked"
                    + " for " + lockMode + ": a lease marker names one owner (Python's SoftFileLease has no readers"
                    + " either). Take the lock EXCLUSIVE, or use the soft-rw type for read/write locks.");
        }
        lock.lock();
        try {
            if (fd >= 0) {
                return true;
            }
            for (int attempt = 0; attempt < BREAK_ATTEMPTS; attempt++) {
                String fresh = LeaseBackend.newToken();
                int created = MarkerFiles.createExclusive(file, path, backend.record(fresh).format(),
                        backend.settings().modeBits());
                if (created >= 0) {
                    fd = created;
                    ours = MarkerStat.ofDescriptor(created);
                    token = fresh;
                    lost = false;
                    lastRefresh = System.nanoTime();
                    heartbeat = backend.startHeartbeat(this);
                    return true;
                }
                if (backend.breaker().breakIfStale(file, path) == Outcome.LIVE) {
                    return false;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Polls until the marker is ours (true) or the wait was abandoned (false). */
    @Override
    public boolean lock(LockMode lockMode) throws IOException {
        long maxPause = backend.maxPollMillis();
        long pause = Math.min(FIRST_POLL_MS, maxPause);
        while (!tryLock(lockMode)) {
            sleep(pause);
            if (abandoned) { // after the pause: an abandoned wait must not take a lock nobody waits for
                abandoned = false;
                return false;
            }
            pause = Math.min(maxPause, pause * 2);
        }
        return true;
    }

    @Override
    public void abandon() {
        abandoned = true;
    }

    /**
     * Removes the marker if it is provably ours (our inode and our token); anything else at the path is left alone,
     * and, unless the loss was already reported, reported now.
     */
    @Override
    public void unlock() throws IOException {
        lock.lock();
        try {
            if (fd < 0) {
                return;
            }
            stopHeartbeat();
            try {
                Observed now = MarkerFiles.observe(file, path);
                TestHooks.reach("LeaseSlot.unlock.judged", file); // a test replaces the marker here
                boolean removed = now != null && isOurs(now)
                        && LeaseFiles.removeIf(file, path, this::isOurs) == Removal.REMOVED;
                if (!removed && !lost) {
                    reportLost(now == null ? "marker-missing" : "owner-changed", null);
                }
            } catch (IOException e) {
                // Not provably ours: leave it. If it is, it ages out after the lease, as a crashed holder's does.
                Log.LOGGER.log(Level.WARNING, "Could not check lease marker " + file + " before removing it, so it"
                        + " was left in place (it ages out after the lease): " + e.getMessage());
            } finally {
                MarkerFiles.closeQuietly(fd);
                fd = -1;
                ours = null;
                token = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The marker's content names its owner already. */
    @Override
    public void describeHolder(LockHolder holder) {
        // published with the marker: Python and other lease users parse it
    }

    @Override
    public boolean isValid() {
        lock.lock();
        try {
            return !lost;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        unlock();
    }

    /**
     * One heartbeat, in Python's order: is the path still our marker (identity, then token), and only then refresh
     * its mtime through our descriptor. A missing or replaced marker is lost at once. A failed check or refresh
     * (ESTALE, EIO: an NFS server restarting, a network hiccup) is retried at the next beat, and declared lost once
     * refreshes have failed for lease minus heartbeat: past that, a contender may take the marker before the next
     * refresh could land.
     */
    void beat() {
        lock.lock();
        try {
            if (fd < 0 || lost) {
                return;
            }
            TestHooks.reach("LeaseSlot.beat", file);
            try {
                MarkerStat now = MarkerStat.ofPath(path);
                if (now == null) {
                    reportLost("marker-missing", null);
                    return;
                }
                if (!ours.sameFile(now)) {
                    reportLost("owner-changed", null);
                    return;
                }
                Observed seen = MarkerFiles.observe(file, path);
                if (seen == null) {
                    reportLost("marker-missing", null);
                    return;
                }
                if (!isOurs(seen)) {
                    reportLost("owner-changed", null);
                    return;
                }
                LibC.futimens(fd, null);
                lastRefresh = System.nanoTime();
            } catch (IOException | LastErrorException e) {
                long failing = System.nanoTime() - lastRefresh;
                long limit = backend.lease().minus(backend.heartbeat()).toNanos();
                if (failing >= limit) {
                    reportLost("refresh-failed", e);
                } else {
                    Log.LOGGER.log(Level.WARNING, "Lease marker " + file + " could not be refreshed ("
                            + describe(e) + "); retrying at the next heartbeat. The hold is declared lost if"
                            + " refreshes keep failing for " + limit / 1_000_000 + " ms.");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean isOurs(Observed seen) {
        return ours.sameFile(seen.stat()) && LeaseRecord.parse(seen.content())
                .flatMap(LeaseRecord::token).filter(t -> t.equals(token)).isPresent();
    }

    private void reportLost(String reason, Exception error) {
        lost = true;
        stopHeartbeat();
        String now;
        try {
            Observed current = MarkerFiles.observe(file, path);
            now = current == null ? "no marker is there now"
                    : LeaseRecord.parse(current.content()).map(o -> "it is now held by " + o.describe())
                            .orElse("another marker is there now");
        } catch (IOException e) {
            now = "the marker there now cannot be read (" + e.getMessage() + ")";
        }
        String why = switch (reason) {
            case "marker-missing" -> "was removed";
            case "owner-changed" -> "was replaced by another owner's";
            default -> "could not be refreshed for longer than the lease minus the heartbeat ("
                    + Optional.ofNullable(error).map(LeaseSlot::describe).orElse("") + ")";
        };
        Log.LOGGER.log(Level.WARNING, "Lease marker " + file + " " + why + " [" + reason + "], most likely because"
                + " it was not refreshed within the lease of " + backend.lease().toMillis() + " ms (a long pause, or a"
                + " network file system that stalled); " + now + ".");
        onLoss.run();
    }

    private static String describe(Exception e) {
        if (e instanceof LastErrorException le) {
            return Errno.describe(le.getErrorCode());
        }
        return e.getMessage();
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    // The engine's wait thread polls here; it is never interrupted (abandon() stops it), so keep any interrupt.
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "soft-lease slot(" + file + ")";
    }
}
