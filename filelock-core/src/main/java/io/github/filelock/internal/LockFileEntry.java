package io.github.filelock.internal;

import io.github.filelock.LockMechanism;
import io.github.filelock.LockMode;
import io.github.filelock.internal.os.OsLockFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Everything this JVM knows about one lock file: the fair gate that orders its holders, who holds it, and
 * the single OS handle through which the file is locked, written and read.
 *
 * <p>Two levels. First the {@link #gate}: a fair gate where a shared holder takes one permit and an
 * exclusive holder takes them all, so callers are served in arrival order and a queued writer holds back
 * later readers. Only holders inside the gate touch the OS lock, and they share it: the first one in takes
 * it, the last one out lets it go ({@link #claims}). The OS lock is tried once without blocking; if that
 * fails, one waiter thread per file blocks in the kernel ({@code flock} without {@code LOCK_NB}), so the kernel
 * wakes us the moment the holder releases or dies, instead of polling. Callers join that one wait
 * ({@link #joinOs}): threads block on it with their own timeout and interrupt handling, async callers chain on
 * it. A wait they abandon stays pending for the next caller, or is released at once if nobody wants it any
 * more, and with flock a caller in the other mode does not queue behind it.
 *
 * <p>The fields below the monitor comment are guarded by {@code this}.
 */
final class LockFileEntry {

    final String fileName;
    final Path file;
    final Gate gate = new Gate();
    /** Holders in this JVM, keyed by their thread, or by the hold itself for detached holds. */
    final ConcurrentHashMap<Object, Holding> holders = new ConcurrentHashMap<>();
    private final LockDirectory directory;

    // guarded by this
    private OsLockFile handle;
    private LockMode osMode; // null while this JVM does not hold the OS lock
    private int claims; // holders inside the gate that rely on the OS lock
    private CompletableFuture<Void> pending; // a waiter thread blocked in the kernel
    private LockMode pendingMode;
    private int pendingClaims; // callers waiting for `pending`
    // flock only: a kernel wait nobody counted on any more, set aside so that it cannot keep out a request in the
    // other mode. It keeps its own descriptor until the kernel answers; then it lets go and closes it, unless it
    // was adopted again (made `pending`) meanwhile. At most one, never in the mode of `pending`: so at most one
    // kernel wait per mode, and two descriptors, per file.
    private CompletableFuture<Void> retired;
    private LockMode retiredMode;
    private OsLockFile retiredHandle;
    private boolean recordWarned; // a failed holder-record write was logged
    // Whether this JVM locked the file through this entry. Only such files may be deleted when idle: an entry
    // that scan() or inspect() opened may belong to a name that flock(1) or Python share, which do not check
    // after locking that their file is still linked.
    private boolean lockedHere;
    // Users of this entry (callers inside acquire or holding, pending waits); -1 once evicted. Atomic, not
    // under the monitor: every acquire and release touches it, and contending threads must not queue here.
    private final java.util.concurrent.atomic.AtomicInteger users = new java.util.concurrent.atomic.AtomicInteger();
    // Open until an evicted entry's descriptor is closed. A replacement entry waits for it: with fcntl locks a
    // close after the replacement locked the file would drop the replacement's lock.
    private final CountDownLatch closed = new CountDownLatch(1);
    // When this entry was last let go (the directory's use counter), so eviction closes the least recently used.
    volatile long lastUsed;

    LockFileEntry(LockDirectory directory, String fileName) {
        this.directory = directory;
        this.fileName = fileName;
        this.file = directory.path.resolve(fileName);
    }

    static int permits(LockMode mode) {
        return mode == LockMode.EXCLUSIVE ? Gate.ALL_PERMITS : 1;
    }

    // ---- reference counting: an entry in use is never evicted --------------------------------------

    boolean retain() {
        while (true) {
            int current = users.get();
            if (current < 0) {
                return false; // evicted
            }
            if (users.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    int releaseUse() {
        return users.decrementAndGet();
    }

    synchronized boolean hasHandle() {
        return handle != null;
    }

    /**
     * Closes the handle of an idle entry, deleting the file first when asked and this JVM locked it itself.
     * Deletion happens only under our own exclusive lock on the file, and every acquirer of this library checks
     * after locking that its file is still linked, so a deleted file never lets two of them in.
     */
    boolean tryEvict(boolean deleteFile) {
        OsLockFile closing;
        boolean deleting;
        synchronized (this) {
            if (osMode != null || pending != null || !users.compareAndSet(0, -1)) {
                return false;
            }
            closing = handle;
            handle = null;
            deleting = deleteFile && lockedHere;
        }
        TestHooks.reach("LockFileEntry.evicting", file);
        try {
            if (closing != null) {
                try {
                    if (deleting && closing.tryLock(LockMode.EXCLUSIVE) && !closing.isUnlinked()) {
                        closing.unlinkPath();
                    }
                } catch (IOException e) {
                    LockDirectory.LOG.log(System.Logger.Level.DEBUG, "Could not delete idle lock file " + file, e);
                } finally {
                    closeQuietly(closing);
                    directory.handleClosed();
                }
            }
        } finally {
            closed.countDown();
        }
        return true;
    }

    /** Waits until an evicted entry has closed its descriptor, so that a replacement may open the file. */
    void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the close is quick and bounded: finish waiting, keep the interrupt
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the OS lock, used only by holders inside the gate ----------------------------------------------

    /**
     * Claims the OS lock if this JVM already has it, or takes it with one non-blocking attempt. The gate
     * guarantees that whoever is inside asks for a compatible mode.
     */
    synchronized boolean tryLockOs(LockMode mode) throws IOException {
        if (osMode != null) {
            if (osMode == LockMode.SHARED && mode == LockMode.EXCLUSIVE) {
                // The gate never lets a writer in beside readers, so this is lost accounting. Granting it would
                // let readers of other processes in beside our writer; converting would drop our readers' lock.
                throw new IllegalStateException("Lock file " + file + " is held SHARED by this JVM, yet an EXCLUSIVE"
                        + " holder entered its gate: the engine's hold accounting is broken. Refusing the hold; please"
                        + " report this as a bug.");
            }
            claims++; // an exclusive OS lock covers a shared claim
            return true;
        }
        if (pending != null && !retireAbandonedWait(mode)) {
            return false;
        }
        if (tryLockLinkedFile(mode)) {
            osMode = mode;
            claims = 1;
            lockedHere = true;
            return true;
        }
        if (pending == null && retired != null && retiredMode == mode) {
            adoptRetiredWait(); // our request would only start a second wait in that mode: join that one
        }
        return false;
    }

    /**
     * Lets a kernel wait in the other mode go on without us, so that it cannot keep out a request it would only
     * delay. The gate admits one mode at a time, so such a wait was abandoned: nobody counts on it. flock locks
     * belong to the open file description, so the wait keeps its descriptor (and lets go of whatever it gets,
     * then closes it) while this entry opens a fresh one. fcntl and soft locks belong to the process, where a
     * second descriptor would interfere with the first: there the wait is waited out. Bounded: a retired wait in
     * the requested mode is adopted again rather than a new one started, so a file never has more than one kernel
     * wait per mode (each flip of mode swaps the two), however often callers time out.
     *
     * @return true when the caller may try the lock on a fresh descriptor; false when it should join {@code pending}
     */
    private boolean retireAbandonedWait(LockMode mode) {
        if (pendingMode == mode || pendingClaims > 0 || directory.mechanism() != LockMechanism.FLOCK
                || (retired != null && retiredMode != mode)) { // the last never happens: see `retired`
            return false;
        }
        CompletableFuture<Void> abandoned = pending;
        LockMode abandonedMode = pendingMode;
        OsLockFile abandonedHandle = handle; // the waiter thread's descriptor (it reopens only through `handle`)
        pending = null;
        pendingMode = null;
        handle = null;
        if (retired != null) {
            // Already one set aside, so in our mode (never in the mode of `pending`): it is waiting for what we
            // want, and no second descriptor or thread may start for it. Adopt it and set this one aside instead.
            adoptRetiredWait();
        }
        retired = abandoned;
        retiredMode = abandonedMode;
        retiredHandle = abandonedHandle;
        return pending == null; // adopted: the caller joins that wait, no attempt of its own
    }

    /**
     * Makes the retired wait the pending one again, with its descriptor as this entry's handle. Only while this JVM
     * holds no OS lock and no wait is pending: the handle it replaces is then idle, and it is closed (with flock a
     * descriptor holds only its own lock, so this close drops nobody's).
     */
    private void adoptRetiredWait() {
        if (handle != null) {
            OsLockFile idle = handle;
            handle = null;
            closeQuietly(idle);
            directory.handleClosed();
        }
        pending = retired;
        pendingMode = retiredMode;
        pendingClaims = 0;
        handle = retiredHandle;
        retired = null;
        retiredMode = null;
        retiredHandle = null;
    }

    /** The kernel wait a caller follows; {@code joined} when the caller is counted among its claims. */
    record OsWait(CompletableFuture<Void> done, boolean joined) {
    }

    /**
     * Takes the OS lock at once, or joins the one kernel wait for it (starting it if none is under way).
     *
     * @return null when the lock was taken; otherwise the wait. A joined caller holds the lock once {@code done}
     *     completes normally. A wait in the other mode cannot serve the caller: let it finish, then join again.
     */
    synchronized OsWait joinOs(LockMode mode) throws IOException {
        if (tryLockOs(mode)) {
            return null;
        }
        if (pending == null) {
            pendingMode = mode;
            pending = startBlockingLock(mode);
        }
        boolean joined = pendingMode == mode;
        if (joined) {
            pendingClaims++;
        }
        return new OsWait(pending, joined);
    }

    /**
     * Waits for the OS lock until {@code deadline} ({@link System#nanoTime()}), or forever when
     * {@code forever} is set.
     *
     * @return true when acquired, false on timeout
     */
    boolean awaitOs(LockMode mode, long deadline, boolean forever, boolean interruptible)
            throws IOException, InterruptedException {
        while (true) {
            OsWait wait = joinOs(mode);
            if (wait == null) {
                return true;
            }
            try {
                Waits.await(wait.done, deadline, forever, interruptible);
            } catch (TimeoutException e) {
                return wait.joined && stopWaiting(wait.done, false);
            } catch (InterruptedException e) {
                if (wait.joined) {
                    stopWaiting(wait.done, true);
                }
                throw e;
            } catch (ExecutionException | CompletionException e) {
                throw failure(e.getCause());
            }
            if (wait.joined) {
                return true; // the waiter thread counted us among the claims
            }
        }
    }

    IOException failure(Throwable cause) {
        return cause instanceof IOException io ? io : new IOException("Waiting for " + file + " failed", cause);
    }

    /**
     * A joined caller gives up its wait; returns true if the lock arrived in the meantime and the caller keeps it
     * (never when {@code abandon}: then a lock that arrived is let go).
     */
    synchronized boolean stopWaiting(CompletableFuture<Void> wait, boolean abandon) {
        if (pending == wait) {
            pendingClaims--; // still blocked in the kernel: it will let go at once if nobody is left
            return false;
        }
        if (wait.isCompletedExceptionally()) {
            return false;
        }
        if (!abandon) {
            return true;
        }
        releaseClaim();
        return false;
    }

    private CompletableFuture<Void> startBlockingLock(LockMode mode) {
        users.incrementAndGet(); // the blocked call keeps this entry (and its handle) alive
        CompletableFuture<Void> done = new CompletableFuture<>();
        OsLockFile blockingOn = handle;
        directory.waitExecutor().execute(() -> blockUntilLocked(blockingOn, mode, done));
        return done;
    }

    private void blockUntilLocked(OsLockFile blockingOn, LockMode mode, CompletableFuture<Void> done) {
        OsLockFile current = blockingOn;
        boolean locked = false;
        boolean retired = false;
        try {
            while (true) {
                current.lock(mode);
                locked = true;
                synchronized (this) {
                    if (pending != done) {
                        forgetRetired(done);
                        retired = true; // nobody waits on this descriptor now: closing it (below) lets go
                        break;
                    }
                    if (!isUnlinkedOrLetGo(current)) {
                        pending = null;
                        osMode = mode;
                        lockedHere = true;
                        claims = pendingClaims;
                        pendingClaims = 0;
                        if (claims == 0) {
                            unlockOs(); // every waiter gave up and nobody took their place
                        }
                        break;
                    }
                    locked = false;
                    current = reopenAfterUnlink(current);
                }
            }
            done.complete(null);
        } catch (Throwable t) {
            synchronized (this) {
                if (pending == done) {
                    pending = null;
                    pendingClaims = 0;
                    if (locked) {
                        unlockQuietly(current); // granted, then failed: nobody may keep it unknowingly
                    }
                } else {
                    forgetRetired(done);
                    retired = true;
                }
            }
            done.completeExceptionally(t);
        } finally {
            if (retired) {
                closeQuietly(current);
                directory.handleClosed();
            }
            directory.release(this);
        }
    }

    // The kernel answered a retired wait: it can no longer be adopted. Its thread closes its descriptor.
    private void forgetRetired(CompletableFuture<Void> done) {
        if (retired == done) {
            retired = null;
            retiredMode = null;
            retiredHandle = null;
        }
    }

    /** A holder leaves the gate: the last one lets go of the OS lock. */
    synchronized void releaseClaim() {
        if (--claims == 0) {
            unlockOs();
        }
    }

    private boolean tryLockLinkedFile(LockMode mode) throws IOException {
        OsLockFile current = openHandle(true);
        while (current.tryLock(mode)) {
            if (!isUnlinkedOrLetGo(current)) {
                return true;
            }
            current = reopenAfterUnlink(current);
        }
        return false;
    }

    // Asked right after locking `current`: if asking fails, let the lock go, or it stays held with no holder.
    private static boolean isUnlinkedOrLetGo(OsLockFile current) throws IOException {
        try {
            return current.isUnlinked();
        } catch (IOException | RuntimeException | Error e) {
            try {
                current.unlock();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
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

    private void unlockOs() {
        osMode = null;
        claims = 0;
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

    /**
     * Writes the holder record through our handle. Only an exclusive holder writes: readers would tear it. The
     * record is diagnostics, so a write that fails (a full disk, a quota) never costs the lock: the file is
     * emptied, so that no earlier holder's record stands in, and a WARN says why, once per open file.
     */
    synchronized void writeRecord(byte[] record, int length) {
        try {
            handle.writeContent(record, length);
        } catch (IOException e) {
            try {
                handle.writeContent(record, 0);
            } catch (IOException ignored) {
                // nothing more to do: readers check the record's pid against the kernel's holder
            }
            if (!recordWarned) {
                recordWarned = true;
                LockDirectory.LOG.log(System.Logger.Level.WARNING, "The holder record of lock file " + file
                        + " could not be written, so inspect() and cat show no holder for it; the lock itself is"
                        + " held as usual. Cause: " + e.getMessage() + ". Free space (or quota) on its file system"
                        + " to get records back. Said once per open file.");
            }
        }
    }

    /** The file's content, read through our own handle (never a second descriptor); empty if there is no file. */
    synchronized byte[] readContent() throws IOException {
        OsLockFile current = openHandle(false);
        return current == null ? new byte[0] : current.readContent(io.github.filelock.internal.HolderRecord.MAX_BYTES);
    }

    /**
     * Whether some process holds the lock, found by one non-blocking shared attempt that is let go at once.
     * Used only where the kernel's lock table cannot be read; it may make a concurrent try-once fail.
     */
    synchronized boolean probeHeldElsewhere() throws IOException {
        if (osMode != null) {
            return false; // held by this process, not elsewhere
        }
        if (pending != null) {
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

    private void unlockQuietly(OsLockFile locked) {
        try {
            locked.unlock();
        } catch (IOException e) {
            LockDirectory.LOG.log(System.Logger.Level.WARNING, "Could not unlock " + file, e);
        }
    }

    private void closeQuietly(OsLockFile closing) {
        try {
            closing.close();
        } catch (IOException e) {
            LockDirectory.LOG.log(System.Logger.Level.DEBUG, "Could not close " + file, e);
        }
    }
}
