package io.github.filelock.internal.channel;

import io.github.filelock.LockHolder;
import io.github.filelock.LockMode;
import io.github.filelock.internal.HolderRecordWriter;
import io.github.filelock.internal.Log;
import io.github.filelock.spi.LockSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * One key's FileChannel lock, through the file's one shared descriptor ({@link ChannelFile}). As with flock, a grant
 * on a file that is no longer at its path is taken again on the file that is. Never lost.
 */
final class ChannelSlot implements LockSlot {

    private final ChannelBackend backend;
    private final Path file;
    private ChannelFile open; // a counted user of the backend's descriptor; null until first needed
    private boolean lockedHere; // only files this slot locked may be deleted when idle
    private final HolderRecordWriter records;
    private volatile boolean abandoned;

    ChannelSlot(ChannelBackend backend, Path file) {
        this.backend = backend;
        this.file = file;
        this.records = new HolderRecordWriter(file);
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        ChannelFile current = file();
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
    public boolean lock(LockMode mode) throws IOException {
        ChannelFile current = file();
        while (true) {
            boolean granted = current.lock(mode, () -> abandoned);
            if (!granted) {
                abandoned = false;
                return false;
            }
            if (!isUnlinkedOrLetGo(current)) {
                lockedHere = true;
                return true;
            }
            current = reopen(current);
        }
    }

    /** Stops retrying after a false deadlock; a kernel wait under way cannot be stopped. */
    @Override
    public void abandon() {
        abandoned = true;
    }

    @Override
    public void unlock() throws IOException {
        open.unlock();
    }

    @Override
    public void describeHolder(LockHolder holder) {
        records.write(holder, open::write);
    }

    @Override
    public boolean isValid() {
        return true;
    }

    @Override
    public void close() throws IOException {
        if (open == null) {
            return;
        }
        try {
            if (backend.settings().deleteIdleFiles() && lockedHere && open.tryLock(LockMode.EXCLUSIVE)
                    && !open.isUnlinked()) {
                open.unlinkPath();
            }
        } catch (IOException e) {
            Log.LOGGER.log(Level.DEBUG, "Could not delete idle lock file " + file, e);
        } finally {
            ChannelFile closing = open;
            open = null;
            backend.release(closing);
        }
    }

    private ChannelFile file() throws IOException {
        if (open == null) {
            open = backend.use(file, true);
        }
        return open;
    }

    private static boolean isUnlinkedOrLetGo(ChannelFile current) throws IOException {
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
    private ChannelFile reopen(ChannelFile stale) throws IOException {
        try {
            stale.unlock();
        } finally {
            open = null;
            backend.forget(stale);
            backend.release(stale);
        }
        return file();
    }

    @Override
    public String toString() {
        return "channel slot(" + file + ")";
    }
}
