package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockMode;
import io.github.filelock.internal.os.OsLockFile;
import io.github.filelock.internal.soft.MarkerBreaker.Outcome;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.MarkerFiles.Removal;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.ScheduledFuture;

/**
 * One soft lock: held while the marker this object created exists at the lock path. Taking it is an
 * {@code O_EXCL} create (after breaking a stale marker, see {@link MarkerBreaker}); while held, a heartbeat
 * refreshes the marker's mtime and checks it is still ours; releasing removes it only if it is still ours.
 *
 * <p>Waiting polls: {@link #lock} retries every {@value #FIRST_POLL_MS} ms, backing off to every
 * {@value #MAX_POLL_MS} ms. Soft locks are exclusive only.
 */
final class SoftLockFile implements OsLockFile {

    static final long FIRST_POLL_MS = 5;
    static final long MAX_POLL_MS = 25;
    private static final int BREAK_ATTEMPTS = 4;

    private final SoftLockProvider provider;
    private final Path file;
    private final byte[] path;
    private final int mode;

    // guarded by this
    private int fd = -1;
    private MarkerStat ours;
    private ScheduledFuture<?> heartbeat;
    private boolean lost;

    SoftLockFile(SoftLockProvider provider, Path file, int mode) {
        this.provider = provider;
        this.file = file;
        this.path = Paths.cString(file);
        this.mode = mode;
    }

    @Override
    public synchronized boolean tryLock(LockMode lockMode) throws IOException {
        if (lockMode != LockMode.EXCLUSIVE) {
            throw new UnsupportedOperationException("Soft locks are exclusive only, and " + file + " was asked for "
                    + lockMode + ": a marker file cannot count readers (Python's SoftFileLock has none either)."
                    + " Take the lock EXCLUSIVE, or use a FLOCK registry for read/write locks.");
        }
        if (fd >= 0) {
            return true;
        }
        for (int attempt = 0; attempt < BREAK_ATTEMPTS; attempt++) {
            int created = MarkerFiles.createExclusive(file, path, provider.ownMarker(), mode);
            if (created >= 0) {
                fd = created;
                ours = MarkerStat.ofDescriptor(created);
                lost = false;
                heartbeat = provider.startHeartbeat(this);
                return true;
            }
            Outcome outcome = provider.breaker().breakIfStale(file, path, provider.ownMarker());
            if (outcome == Outcome.LIVE) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void lock(LockMode lockMode) throws IOException {
        long pause = FIRST_POLL_MS;
        while (!tryLock(lockMode)) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while polling soft lock marker " + file);
            }
            pause = Math.min(MAX_POLL_MS, pause * 2);
        }
    }

    /** Removes the marker if it is still ours; finding it gone or replaced means the hold was lost. */
    @Override
    public synchronized void unlock() throws IOException {
        if (fd < 0) {
            return;
        }
        stopHeartbeat();
        try {
            if (!lost && MarkerFiles.removeIfSame(path, ours) != Removal.REMOVED) {
                reportLost();
            }
        } finally {
            MarkerFiles.closeQuietly(fd);
            fd = -1;
            ours = null;
        }
    }

    /** One heartbeat: refresh our marker's mtime, then check that the path still names it. */
    synchronized void beat() {
        if (fd < 0 || lost) {
            return;
        }
        try {
            MarkerSyscalls.futimens(fd, null);
            if (!ours.sameFile(MarkerStat.ofPath(path))) {
                reportLost();
            }
        } catch (IOException | LastErrorException e) {
            SoftLockProvider.LOG.log(Level.WARNING, "Soft lock heartbeat failed for " + file, e);
        }
    }

    private void reportLost() {
        lost = true;
        stopHeartbeat();
        provider.countLostHold();
        String now;
        try {
            Observed current = MarkerFiles.observe(file, path);
            now = current == null ? "no marker is there now"
                    : MarkerOwner.parse(current.content()).map(o -> "it is now held by " + o.describe())
                            .orElse("another marker is there now");
        } catch (IOException e) {
            now = "the marker there now cannot be read (" + e.getMessage() + ")";
        }
        SoftLockProvider.LOG.log(Level.ERROR, "Soft lock " + file + " was LOST by this process: its marker was"
                + " broken or replaced, most likely because it was not refreshed within the lease of "
                + provider.lease().toMillis() + " ms (a long pause, or a clock or network delay); " + now
                + ". Work done under this lock since then was not exclusive.");
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    synchronized boolean isLost() {
        return lost;
    }

    @Override
    public synchronized boolean isUnlinked() {
        return lost; // a lost marker excludes nobody: the engine takes the lock again
    }

    /** The marker's content is the fixed {@code pid/host/token} protocol; the holder record is not written. */
    @Override
    public void writeContent(byte[] content, int length) {
        // intentionally empty: Python and other soft-lock users parse the marker
    }

    @Override
    public byte[] readContent(int max) throws IOException {
        Observed current = MarkerFiles.observe(file, path);
        return current == null ? new byte[0] : current.content();
    }

    /** Called by the idle-file reaper under our own hold: the marker is removed on release anyway. */
    @Override
    public void unlinkPath() throws IOException {
        unlock();
    }

    @Override
    public void close() throws IOException {
        unlock();
    }

    @Override
    public String toString() {
        return "soft(" + file + ")";
    }
}
