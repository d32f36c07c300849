package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.soft.MarkerBreaker.Outcome;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.MarkerFiles.Removal;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One soft lock: held while the marker this slot created exists at the lock path. Taking it is an {@code O_EXCL}
 * create (after breaking a stale marker, see {@link MarkerBreaker}); while held, a heartbeat refreshes the marker's
 * mtime and checks it is still ours; releasing removes it only if it is still ours. A marker found broken or replaced
 * is a lost hold, reported through {@code onLoss} once per grant.
 *
 * <p>Waiting polls: {@link #lock} retries every {@value #FIRST_POLL_MS} ms, backing off to every {@value #MAX_POLL_MS}
 * ms, until granted or {@link #abandon() abandoned}. Soft locks are exclusive only. Guarded by a lock, as the
 * heartbeat thread calls {@link #beat()}: a {@code ReentrantLock}, not a monitor, so that a virtual thread releasing
 * while a beat runs (file system calls) does not pin its carrier on JDK 21 to 23.
 */
final class SoftSlot implements LockSlot {

    static final long FIRST_POLL_MS = 5;
    static final long MAX_POLL_MS = 25;
    private static final int BREAK_ATTEMPTS = 4;

    private final SoftBackend backend;
    private final Path file;
    private final byte[] path;
    private final Runnable onLoss;
    private volatile boolean abandoned;
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private int fd = -1;
    private MarkerStat ours;
    private ScheduledFuture<?> heartbeat;
    private boolean lost;

    SoftSlot(SoftBackend backend, Path file, Runnable onLoss) {
        this.backend = backend;
        this.file = file;
        this.path = CPath.of(file);
        this.onLoss = onLoss;
    }

    @Override
    public boolean tryLock(LockMode lockMode) throws IOException {
        lock.lock();
        try {
            return tryLockLocked(lockMode);
        } finally {
            lock.unlock();
        }
    }

    private boolean tryLockLocked(LockMode lockMode) throws IOException {
        if (lockMode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("Soft locks are exclusive only, and " + file + " was asked for "
                    + lockMode + ": a marker file cannot count readers (Python's SoftFileLock has none either)."
                    + " Take the lock EXCLUSIVE, or use a FLOCK registry for read/write locks.");
        }
        if (fd >= 0) {
            return true;
        }
        for (int attempt = 0; attempt < BREAK_ATTEMPTS; attempt++) {
            int created = MarkerFiles.createExclusive(file, path, backend.ownMarker(), backend.settings().modeBits());
            if (created >= 0) {
                fd = created;
                ours = MarkerStat.ofDescriptor(created);
                lost = false;
                heartbeat = backend.startHeartbeat(this);
                return true;
            }
            if (backend.breaker().breakIfStale(file, path, backend.ownMarker()) == Outcome.LIVE) {
                return false;
            }
        }
        return false;
    }

    /** Polls until the marker is ours (true) or the wait was abandoned (false). */
    @Override
    public boolean lock(LockMode lockMode) throws IOException {
        long pause = FIRST_POLL_MS;
        while (!tryLock(lockMode)) {
            sleep(pause);
            // Checked after the pause, before the next try: an abandoned wait must not break a marker whose holder
            // died meanwhile and take a lock that nobody waits for any more.
            if (abandoned) {
                abandoned = false;
                return false;
            }
            pause = Math.min(MAX_POLL_MS, pause * 2);
        }
        return true;
    }

    @Override
    public void abandon() {
        abandoned = true;
    }

    /** Removes the marker if it is still ours; finding it gone or replaced means the hold was lost. */
    @Override
    public void unlock() throws IOException {
        lock.lock();
        try {
            if (fd < 0) {
                return;
            }
            stopHeartbeat();
            try {
                TestHooks.reach("SoftSlot.removing", file); // a test makes the removal fail here
                if (!lost && MarkerFiles.removeIfSame(path, ours) != Removal.REMOVED) {
                    reportLost();
                }
            } finally {
                MarkerFiles.closeQuietly(fd);
                fd = -1;
                ours = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The marker's content is the fixed {@code pid/host/token} protocol, written when it was created. */
    @Override
    public void describeHolder(LockHolder holder) {
        // already published: Python and other soft-lock users parse the marker
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

    /** Markers exist only while held, so there is never an idle file to delete. */
    @Override
    public void close() throws IOException {
        unlock();
    }

    /** One heartbeat: refresh our marker's mtime, then check that the path still names it. */
    void beat() {
        lock.lock();
        try {
            if (fd < 0 || lost) {
                return;
            }
            LibC.futimens(fd, null);
            if (!ours.sameFile(MarkerStat.ofPath(path))) {
                reportLost();
            }
        } catch (IOException | LastErrorException e) {
            Log.LOGGER.log(Level.WARNING, "Soft lock heartbeat failed for " + file, e);
        } finally {
            lock.unlock();
        }
    }

    private void reportLost() {
        lost = true;
        stopHeartbeat();
        String now;
        try {
            Observed current = MarkerFiles.observe(file, path);
            now = current == null ? "no marker is there now"
                    : MarkerOwner.parse(current.content()).map(o -> "it is now held by " + o.describe())
                            .orElse("another marker is there now");
        } catch (IOException e) {
            now = "the marker there now cannot be read (" + e.getMessage() + ")";
        }
        Log.LOGGER.log(Level.WARNING, "Soft lock marker " + file + " was broken or replaced, most likely because it"
                + " was not refreshed within the lease of " + backend.lease().toMillis() + " ms (a long pause, or a"
                + " clock or network delay); " + now + ".");
        onLoss.run();
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
        return "soft slot(" + file + ")";
    }
}
