package io.github.filelock.internal.soft;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.soft.MarkerBreaker.Outcome;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.MarkerFiles.Removal;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One soft lock: held while the marker this slot created exists at the lock path. Taking it is an {@code O_EXCL}
 * create (after breaking a stale marker, see {@link MarkerBreaker}); releasing removes it only if it is still ours,
 * by inode and content. There is no heartbeat: a {@code soft} marker is broken only when its holder is provably dead
 * or by an operator, and a holder learns of such a loss when it releases, through {@code onLoss}.
 *
 * <p>Waiting polls: {@link #lock} retries, backing off to every poll interval, until granted or
 * {@link #abandon() abandoned}. Soft locks are exclusive only. Guarded by a {@code ReentrantLock}, not a monitor, so
 * that a virtual thread doing file system calls here does not pin its carrier on JDK 21 to 23.
 */
final class SoftSlot implements LockSlot {

    private static final int BREAK_ATTEMPTS = 4;
    /** The first pause of a wait: most holds are short, and a release then reaches the waiter within it. */
    static final long FIRST_PAUSE_NANOS = 5_000_000;

    private final SoftBackend backend;
    private final Path file;
    private final byte[] path;
    private final Runnable onLoss;
    private volatile boolean abandoned;
    private final ReentrantLock lock = new ReentrantLock();

    // guarded by lock
    private OwnMarker held; // null while not held
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
                    + " Take the lock EXCLUSIVE, or use the soft-rw type for read/write locks.");
        }
        if (held != null) {
            return true;
        }
        byte[] content = backend.ownMarker();
        for (int attempt = 0; attempt < BREAK_ATTEMPTS; attempt++) {
            if (create(content)) {
                return true;
            }
            if (backend.breaker().breakIfStale(file, path, content) == Outcome.LIVE) {
                return false;
            }
        }
        return false;
    }

    private boolean create(byte[] content) throws IOException {
        held = OwnMarker.create(file, path, content, backend.settings().modeBits());
        if (held == null) {
            return false;
        }
        lost = false;
        return true;
    }

    /**
     * Polls until the marker is ours (true) or the wait was abandoned (false): first after
     * {@value #FIRST_PAUSE_NANOS} ns (or the poll interval, if shorter), the pause doubling up to the poll interval.
     */
    @Override
    public boolean lock(LockMode lockMode) throws IOException {
        long interval = backend.pollInterval().toNanos();
        long pause = Math.min(FIRST_PAUSE_NANOS, interval);
        while (!tryLock(lockMode)) {
            sleep(pause);
            // Checked after the pause, before the next try: an abandoned wait must not break a marker whose holder
            // died meanwhile and take a lock that nobody waits for any more.
            if (abandoned) {
                abandoned = false;
                return false;
            }
            pause = Math.min(interval, pause * 2);
        }
        return true;
    }

    @Override
    public void abandon() {
        abandoned = true;
    }

    /**
     * Removes the marker if it is still ours; finding it gone or another's means the hold was lost. If the removal
     * fails, the marker is left naming this process, and the next acquire in this JVM clears it (see
     * {@link OwnMarkers}).
     */
    @Override
    public void unlock() throws IOException {
        lock.lock();
        try {
            if (held == null) {
                return;
            }
            boolean gone;
            try {
                gone = held.release(backend.ownMarker()) != Removal.REMOVED;
            } finally {
                held = null;
            }
            if (gone) {
                reportLost(); // outside the change: the loss action may be slow
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

    private void reportLost() {
        lost = true;
        String now;
        try {
            Observed current = MarkerFiles.observe(file, path);
            now = current == null ? "no marker is there now"
                    : MarkerOwner.parse(current.content()).map(o -> "it is now held by " + o.describe())
                            .orElse("another marker is there now");
        } catch (IOException e) {
            now = "the marker there now cannot be read (" + e.getMessage() + ")";
        }
        Log.LOGGER.log(Level.WARNING, "Soft lock marker " + file + " was no longer this process's when it released"
                + " it: an operator broke it, or another process took this one for dead; " + now + ".");
        onLoss.run();
    }

    // The engine's wait thread polls here; it is never interrupted (abandon() stops it), so keep any interrupt.
    private static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "soft slot(" + file + ")";
    }
}
