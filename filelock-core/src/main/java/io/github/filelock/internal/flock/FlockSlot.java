package io.github.filelock.internal.flock;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.HolderRecordWriter;
import io.github.filelock.internal.Log;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * One key's flock lock through one descriptor. A lock taken on a file that is no longer at its path (an idle-file
 * reaper of another process deleted it) excludes nobody, so each grant is checked and, if so, taken again on a
 * freshly opened file. Never lost: the kernel keeps a flock lock until it is let go or the process ends.
 */
final class FlockSlot implements LockSlot {

    private final FlockBackend backend;
    private final Path file;
    private FlockFile open; // null until first needed
    // Whether this slot locked its file. Only such files may be deleted when idle: a file that flock(1) or Python
    // share may be locked by them without the check after locking that it is still linked.
    private boolean lockedHere;
    private final HolderRecordWriter records;

    FlockSlot(FlockBackend backend, Path file) {
        this.backend = backend;
        this.file = file;
        this.records = new HolderRecordWriter(file);
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        FlockFile current = file();
        while (current.tryLock(mode)) {
            if (!isUnlinkedOrLetGo(current)) {
                lockedHere = true;
                return true;
            }
            current = reopen(current);
        }
        return false;
    }

    /** Blocks in the kernel; {@link #abandon()} cannot stop it, so this always ends granted (or failed). */
    @Override
    public boolean lock(LockMode mode) throws IOException {
        FlockFile current = file();
        while (true) {
            current.lock(mode);
            if (!isUnlinkedOrLetGo(current)) {
                lockedHere = true;
                return true;
            }
            current = reopen(current);
        }
    }

    @Override
    public void abandon() {
        // a flock(2) call cannot be interrupted from another thread; the engine lets go of a late grant
    }

    @Override
    public void unlock() throws IOException {
        open.unlock();
    }

    @Override
    public void describeHolder(LockHolder holder) {
        records.write(holder, open::write);
    }

    /**
     * Read, +1, write in {@code <lock file>.fence}, under this slot's exclusive lock (see {@link FenceFile}). Opened
     * for each token, not kept: a kept descriptor would go on counting in a file that someone replaced or deleted.
     */
    @Override
    public long nextFencingToken(boolean durable) throws IOException {
        try (FenceFile fence = FenceFile.open(backend, file)) {
            return fence.next(durable);
        }
    }

    @Override
    public boolean isValid() {
        return true;
    }

    /**
     * Closes the descriptor, deleting the file first when the backend deletes idle files and this slot locked it.
     * Deletion happens only under our own exclusive lock on the file, and every acquirer of this library checks
     * after locking that its file is still linked, so a deleted file never lets two of them in.
     */
    @Override
    public void close() throws IOException {
        if (open == null) {
            return;
        }
        try {
            if (backend.settings().deleteIdleFiles() && lockedHere && open.tryLock(LockMode.EXCLUSIVE)
                    && !open.isUnlinked()) {
                open.unlinkPath(); // only the lock file: its .fence stays, or the token count would restart
            }
        } catch (IOException e) {
            Log.LOGGER.log(Level.DEBUG, "Could not delete idle lock file " + file, e);
        } finally {
            FlockFile closing = open;
            open = null;
            closing.close();
        }
    }

    private FlockFile file() throws IOException {
        if (open == null) {
            open = backend.open(file, true);
        }
        return open;
    }

    // Asked right after locking `current`: if asking fails, let the lock go, or it stays held with no holder.
    private static boolean isUnlinkedOrLetGo(FlockFile current) throws IOException {
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

    private FlockFile reopen(FlockFile stale) throws IOException {
        try {
            stale.unlock();
        } finally {
            open = null;
            stale.close();
        }
        return file();
    }

    @Override
    public String toString() {
        return "flock slot(" + file + ")";
    }
}
