package io.github.filelock.internal.soft.lease;

import com.sun.jna.LastErrorException;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.soft.MarkerFiles;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Removes a lease marker only when it is provably the one meant: the path is renamed to a private name (atomic), and
 * the moved file is checked there, its identity <em>and</em> its content, since on NFS a server may give a new marker
 * the inode number of one it freed. A file moved by mistake is linked back with {@code link(2)}, which never replaces
 * a marker created at the path meanwhile.
 */
final class LeaseFiles {

    /** The outcome of {@link #removeIf}. */
    enum Removal {
        /** The meant marker was removed. */
        REMOVED,
        /** Nothing was at the path. */
        GONE,
        /** Another marker was there; it was put back. */
        OTHER
    }

    private LeaseFiles() {
    }

    static Removal removeIf(Path file, byte[] path, Predicate<Observed> meant) throws IOException {
        Path asideFile = Path.of(file + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".aside");
        byte[] aside = CPath.of(asideFile);
        try {
            LibC.rename(path, aside);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return Removal.GONE;
            }
            throw MarkerFiles.failure("rename", file, e);
        }
        try {
            Observed moved;
            IOException unreadable = null;
            try {
                moved = MarkerFiles.observe(asideFile, aside);
            } catch (IOException e) {
                moved = null; // not provably the meant marker: put it back
                unreadable = e;
            }
            if (moved != null && meant.test(moved)) {
                return Removal.REMOVED;
            }
            try {
                LibC.link(aside, path);
            } catch (LastErrorException e) {
                Log.LOGGER.log(Level.ERROR, "Lease marker " + file + " was moved aside by mistake and could not be put"
                        + " back (errno " + e.getErrorCode() + "): another marker took its place. Its holder finds its"
                        + " hold lost at its next heartbeat.");
            }
            if (unreadable != null) {
                throw unreadable;
            }
            return Removal.OTHER;
        } finally {
            try {
                LibC.unlink(aside);
            } catch (LastErrorException e) {
                Log.LOGGER.log(Level.WARNING, "Could not delete " + asideFile + ": "
                        + Errno.describe(e.getErrorCode()));
            }
        }
    }
}
