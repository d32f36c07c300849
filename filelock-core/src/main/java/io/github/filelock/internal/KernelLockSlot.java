package io.github.filelock.internal;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.posix.InterruptSignal;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * One key's kernel lock on its lock file. A lock taken on a file that is no longer at its path (an idle-file reaper
 * of another process deleted it) excludes nobody, so each grant is checked and, if so, taken again on a freshly
 * opened file. Subclasses say how the file is opened and given back, and how a blocking lock waits.
 */
public abstract class KernelLockSlot<F extends KernelLockFile> implements LockSlot {

    private final FileBackend backend;
    private final Path file;
    private F open; // null until first needed
    // Whether this slot locked its file. Only such files may be deleted when idle: a file that flock(1) or Python
    // share may be locked by them without the check after locking that it is still linked.
    private boolean lockedHere;
    private final HolderRecordWriter records;

    protected KernelLockSlot(FileBackend backend, Path file) {
        this.backend = backend;
        this.file = file;
        this.records = new HolderRecordWriter(file);
    }

    /** The lock file's path. */
    protected final Path path() {
        return file;
    }

    /** Opens (creating it if needed) the lock file for this slot. */
    protected abstract F openFile(Path file) throws IOException;

    /** Gives back a file from {@link #openFile}: it is no longer this slot's. */
    protected abstract void release(F file) throws IOException;

    /** Gives back a file found deleted under its lock. The default: as {@link #release}. */
    protected void releaseStale(F stale) throws IOException {
        release(stale);
    }

    /** Blocks until {@code current} is locked in {@code mode} (true), or the wait was abandoned (false). */
    protected abstract boolean await(F current, LockMode mode) throws IOException;

    /**
     * The signal that stops a wait blocked in the caller's own thread (see {@link CallerWait}), or null when this
     * backend's waits always block in a helper thread (the default).
     */
    protected InterruptSignal callerWaitSignal() {
        return null;
    }

    /**
     * As {@link #await}, blocking in the calling thread until locked (true) or until {@code wait} asks it to stop
     * (false). Only where {@link #callerWaitSignal} is not null.
     */
    protected boolean awaitInCaller(F current, LockMode mode, CallerWait wait) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " does not block in the caller");
    }

    @Override
    public final boolean tryLock(LockMode mode) throws IOException {
        F current = file();
        while (current.tryLock(mode)) {
            if (!isUnlinkedOrLetGo(current)) {
                lockedHere = true;
                return true;
            }
            current = reopen(current);
        }
        return false;
    }

    @Override
    public final boolean lock(LockMode mode) throws IOException {
        F current = file();
        while (true) {
            if (!await(current, mode)) {
                return false;
            }
            if (!isUnlinkedOrLetGo(current)) {
                lockedHere = true;
                return true;
            }
            current = reopen(current);
        }
    }

    /**
     * As {@link #lock}, in the calling thread: true when locked, false when {@code wait} asked it to stop. See
     * {@link #callerWaitSignal}.
     */
    final boolean lockInCaller(LockMode mode, CallerWait wait) throws IOException {
        F current = file();
        while (true) {
            if (!awaitInCaller(current, mode, wait)) {
                return false;
            }
            if (!isUnlinkedOrLetGo(current)) {
                lockedHere = true;
                return true;
            }
            current = reopen(current);
        }
    }

    @Override
    public final void unlock() throws IOException {
        open.unlock();
    }

    @Override
    public final void describeHolder(LockHolder holder) {
        records.write(holder, open);
    }

    /** The check made after every locking: the file we hold is still the one at the lock path. */
    @Override
    public final boolean confirmHeld() throws IOException {
        return open != null && !open.isUnlinked();
    }

    @Override
    public boolean isValid() {
        return true;
    }

    /**
     * Gives back the file, deleting it first when the backend deletes idle files and this slot locked it. Deletion
     * happens only under our own exclusive lock on the file, and every acquirer of this library checks after
     * locking that its file is still linked, so a deleted file never lets two of them in.
     */
    @Override
    public final void close() throws IOException {
        if (open == null) {
            return;
        }
        try {
            if (backend.settings().deleteIdleFiles() && lockedHere && open.tryLock(LockMode.EXCLUSIVE)
                    && !open.isUnlinked()) {
                open.unlinkPath(); // only the lock file: a flock .fence stays, or the token count would restart
            }
        } catch (IOException e) {
            Log.LOGGER.log(Level.DEBUG, "Could not delete idle lock file " + file, e);
        } finally {
            F closing = open;
            open = null;
            release(closing);
        }
    }

    private F file() throws IOException {
        if (open == null) {
            open = openFile(file);
        }
        return open;
    }

    // Asked right after locking `current`: if asking fails, let the lock go, or it stays held with no holder.
    private static boolean isUnlinkedOrLetGo(KernelLockFile current) throws IOException {
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
    private F reopen(F stale) throws IOException {
        try {
            stale.unlock();
        } finally {
            open = null;
            releaseStale(stale);
        }
        return file();
    }
}
