package io.github.filelock.internal;

import io.github.filelock.LockMode;
import io.github.filelock.internal.os.OsLockFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything this JVM knows about one lock file: the fair in-JVM lock that orders its threads, and the
 * single OS handle through which the file is locked, written and read.
 *
 * <p>Two levels of locking. A thread first takes {@link #jvmLock} (fair, reentrant: arrival order and hold
 * counts inside the JVM), and only the thread that owns it touches the OS lock. The OS lock is taken with
 * one non-blocking attempt; if that fails, a waiter thread blocks in the kernel ({@code flock} without
 * {@code LOCK_NB}) so that the kernel wakes us the moment the holder releases or dies, instead of polling.
 * The owner waits for that with its own timeout and interrupt handling; if it gives up, the blocked call
 * stays pending and is handed to the next owner, or released at once if nobody wants it any more.
 *
 * <p>The fields below the monitor comment are guarded by {@code this}.
 */
final class LockFileEntry {

    final String fileName;
    final Path file;
    final ReentrantLock jvmLock = new ReentrantLock(true);
    private final LockDirectory directory;

    // guarded by this
    private OsLockFile handle;
    private boolean osLocked;
    private boolean claimed;
    private CompletableFuture<Void> pendingLock;
    private int users;
    private boolean evicted;

    // written by the owner, read by diagnostics from any thread
    private volatile Thread owner;
    private volatile String ownerLockName;
    private volatile Instant acquiredAt;
    private volatile int holds; // ReentrantLock tells the hold count only to the owner; diagnostics need it too

    LockFileEntry(LockDirectory directory, String fileName) {
        this.directory = directory;
        this.fileName = fileName;
        this.file = directory.path.resolve(fileName);
    }

    // ---- reference counting: an entry in use is never evicted --------------------------------------

    synchronized boolean retain() {
        if (evicted) {
            return false;
        }
        users++;
        return true;
    }

    synchronized int releaseUse() {
        return --users;
    }

    synchronized boolean hasHandle() {
        return handle != null;
    }

    /**
     * Closes the handle of an idle entry, deleting the file first when asked. Deletion happens only under
     * our own exclusive lock on the file, and every acquirer checks after locking that its file is still
     * linked, so a deleted file never lets two holders in.
     */
    boolean tryEvict(boolean deleteFile) {
        OsLockFile closing;
        synchronized (this) {
            if (users > 0 || osLocked || pendingLock != null || evicted) {
                return false;
            }
            evicted = true;
            closing = handle;
            handle = null;
        }
        if (closing != null) {
            try {
                if (deleteFile && closing.tryLock(LockMode.EXCLUSIVE) && !closing.isUnlinked()) {
                    closing.unlinkPath();
                }
            } catch (IOException e) {
                LockDirectory.LOG.log(System.Logger.Level.DEBUG, "Could not delete idle lock file " + file, e);
            } finally {
                closeQuietly(closing);
                directory.handleClosed();
            }
        }
        return true;
    }

    // ---- the OS lock, used only by the owner of jvmLock -------------------------------------------------

    /** One non-blocking attempt (or the lock is already ours from a pending wait). */
    synchronized boolean tryLockOs(LockMode mode) throws IOException {
        if (osLocked) {
            claimed = true;
            return true;
        }
        if (pendingLock != null) {
            return false;
        }
        if (tryLockLinkedFile(mode)) {
            osLocked = true;
            claimed = true;
            return true;
        }
        return false;
    }

    /**
     * Waits for the OS lock until {@code deadline} ({@link System#nanoTime()}), or forever when
     * {@code forever} is set.
     *
     * @return true when acquired, false on timeout
     */
    boolean awaitOs(LockMode mode, long deadline, boolean forever, boolean interruptible)
            throws IOException, InterruptedException {
        CompletableFuture<Void> wait;
        synchronized (this) {
            if (tryLockOs(mode)) {
                return true;
            }
            if (pendingLock == null) {
                pendingLock = startBlockingLock(mode);
            }
            claimed = true;
            wait = pendingLock;
        }
        try {
            if (forever && !interruptible) {
                wait.join();
            } else if (forever) {
                wait.get();
            } else {
                wait.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return stopWaiting(false);
        } catch (InterruptedException e) {
            stopWaiting(true);
            throw e;
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            stopWaiting(true);
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("Waiting for " + file + " failed", cause);
        }
    }

    /** Gives up a wait; returns true if the pending lock arrived in the meantime and is now ours. */
    private synchronized boolean stopWaiting(boolean abandon) {
        if (osLocked && !abandon) {
            return true;
        }
        claimed = false;
        if (osLocked) {
            unlockOsQuietly();
        }
        return false;
    }

    private CompletableFuture<Void> startBlockingLock(LockMode mode) {
        users++; // the blocked call keeps this entry (and its handle) alive
        CompletableFuture<Void> done = new CompletableFuture<>();
        OsLockFile blockingOn = handle;
        directory.waitExecutor().execute(() -> blockUntilLocked(blockingOn, mode, done));
        return done;
    }

    private void blockUntilLocked(OsLockFile blockingOn, LockMode mode, CompletableFuture<Void> done) {
        try {
            OsLockFile current = blockingOn;
            while (true) {
                current.lock(mode);
                synchronized (this) {
                    if (!current.isUnlinked()) {
                        pendingLock = null;
                        osLocked = true;
                        if (!claimed) {
                            unlockOsQuietly(); // the waiter gave up and nobody took its place
                        }
                        break;
                    }
                    current = reopenAfterUnlink(current);
                }
            }
            done.complete(null);
        } catch (Throwable t) {
            synchronized (this) {
                pendingLock = null;
            }
            done.completeExceptionally(t);
        } finally {
            directory.release(this);
        }
    }

    /** The owner's last hold is gone: let go of the OS lock. */
    synchronized void releaseOs() throws IOException {
        owner = null;
        ownerLockName = null;
        acquiredAt = null;
        claimed = false;
        if (osLocked) {
            osLocked = false;
            handle.unlock();
        }
    }

    private boolean tryLockLinkedFile(LockMode mode) throws IOException {
        OsLockFile current = openHandle(true);
        while (current.tryLock(mode)) {
            if (!current.isUnlinked()) {
                return true;
            }
            current = reopenAfterUnlink(current);
        }
        return false;
    }

    // An idle-file reaper in some process deleted the file we had open: that inode excludes nobody now.
    private OsLockFile reopenAfterUnlink(OsLockFile stale) throws IOException {
        try {
            stale.unlock();
        } finally {
            closeQuietly(stale);
            handle = null;
            directory.handleClosed();
        }
        return openHandle(true);
    }

    private void unlockOsQuietly() {
        osLocked = false;
        try {
            handle.unlock();
        } catch (IOException e) {
            LockDirectory.LOG.log(System.Logger.Level.WARNING, "Could not unlock " + file, e);
        }
    }

    private OsLockFile openHandle(boolean create) throws IOException {
        if (handle == null) {
            handle = directory.provider().open(file, directory.filePermissions(), create);
            if (handle != null) {
                directory.handleOpened();
            }
        }
        return handle;
    }

    // ---- holder record and diagnostics -------------------------------------------------------------------

    void markOwner(Thread thread, String lockName, Instant at) throws IOException {
        owner = thread;
        ownerLockName = lockName;
        acquiredAt = at;
        byte[] record = HolderRecord.format(ProcessIdentity.PID, ProcessIdentity.HOST, thread.getName(), lockName, at);
        synchronized (this) {
            handle.writeContent(record);
        }
    }

    void setHolds(int holds) {
        this.holds = holds;
    }

    int holds() {
        return holds;
    }

    Thread owner() {
        return owner;
    }

    String ownerLockName() {
        return ownerLockName;
    }

    Instant acquiredAt() {
        return acquiredAt;
    }

    /** The file's content, read through our own handle (never a second descriptor); empty if there is no file. */
    synchronized byte[] readContent() throws IOException {
        OsLockFile current = openHandle(false);
        return current == null ? new byte[0] : current.readContent(HolderRecord.MAX_BYTES);
    }

    /**
     * Whether some process holds the lock, found by one non-blocking shared attempt that is let go at once.
     * Used only where the kernel's lock table cannot be read; it may make a concurrent try-once fail.
     */
    synchronized boolean probeHeldElsewhere() throws IOException {
        if (osLocked) {
            return false; // held by this process, not elsewhere
        }
        if (pendingLock != null) {
            return true; // one of our threads is blocked on it, so somebody else holds it
        }
        OsLockFile current = openHandle(false);
        if (current == null) {
            return false;
        }
        if (current.tryLock(LockMode.SHARED)) {
            current.unlock();
            return false;
        }
        return true;
    }

    synchronized boolean isLockedByThisProcess() {
        return osLocked && claimed;
    }

    private void closeQuietly(OsLockFile closing) {
        try {
            closing.close();
        } catch (IOException e) {
            LockDirectory.LOG.log(System.Logger.Level.DEBUG, "Could not close " + file, e);
        }
    }
}
