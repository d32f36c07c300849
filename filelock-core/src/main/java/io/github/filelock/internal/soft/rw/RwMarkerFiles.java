package io.github.filelock.internal.soft.rw;

import com.sun.jna.LastErrorException;
import io.github.filelock.internal.Log;
import io.github.filelock.internal.ProcessIdentity;
import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.posix.CPath;
import io.github.filelock.internal.posix.Errno;
import io.github.filelock.internal.posix.LibC;
import io.github.filelock.internal.posix.Platform;
import io.github.filelock.internal.soft.MarkerFiles;
import io.github.filelock.internal.soft.MarkerFiles.Observed;
import io.github.filelock.internal.soft.MarkerStat;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The operations on reader and writer markers: create one, refresh one that is ours, evict a stale one, remove ours.
 * Ours means: the marker at the path carries our token. Callers that change the writer marker hold the state lock.
 */
final class RwMarkerFiles {

    /** The outcome of a refresh. */
    enum Refresh {
        /** The marker is ours and its mtime was moved to now. */
        OURS,
        /** No marker is there: it was evicted. */
        GONE,
        /** Another marker is there: ours was evicted and the slot taken. */
        OTHER,
        /** The file system failed (ESTALE, EIO on NFS): nothing is known, try again at the next beat. */
        FAILED
    }

    private RwMarkerFiles() {
    }

    /** Creates the marker with {@code O_EXCL}; false when one exists there. */
    static boolean create(Path file, RwMarker marker, int mode) throws IOException {
        int fd = MarkerFiles.createExclusive(file, CPath.of(file), marker.format(), mode);
        if (fd < 0) {
            return false;
        }
        MarkerFiles.closeQuietly(fd);
        return true;
    }

    /** Who the marker at {@code file} names, with its identity and times; empty when there is none. */
    static Optional<Observed> observe(Path file) throws IOException {
        return Optional.ofNullable(MarkerFiles.observe(file, CPath.of(file)));
    }

    /**
     * Moves the marker's mtime to now through the descriptor whose content was checked, so a marker swapped in at
     * the path after the check is never refreshed.
     */
    static Refresh refreshIfOurs(Path file, String token) {
        Platform p = Platform.current();
        int fd;
        try {
            fd = LibC.open(CPath.of(file), p.rdonly() | p.noFollow() | p.nonBlock() | p.closeOnExec(), 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return Refresh.GONE;
            }
            return e.getErrorCode() == p.eloop() ? Refresh.OTHER : Refresh.FAILED;
        }
        try {
            byte[] buffer = new byte[RwMarker.MAX_SIZE + 1];
            long n = LibC.read(fd, buffer, buffer.length);
            Optional<RwMarker> marker = RwMarker.parse(Arrays.copyOf(buffer, (int) Math.max(0, n)));
            if (marker.isEmpty() || !marker.get().token().equals(token)) {
                return Refresh.OTHER;
            }
            TestHooks.reach("RwMarkerFiles.refresh", file); // a test may fail the refresh here (ESTALE)
            LibC.futimens(fd, null);
            return Refresh.OURS;
        } catch (LastErrorException e) {
            return Refresh.FAILED;
        } finally {
            MarkerFiles.closeQuietly(fd);
        }
    }

    /**
     * Removes the marker at {@code file} if it carries {@code token}.
     *
     * @return whether ours was there and is now removed
     */
    static boolean removeIfOurs(Path file, String token) throws IOException {
        Optional<Observed> seen = observe(file);
        if (seen.isEmpty() || !RwMarker.parse(seen.get().content()).map(m -> m.token().equals(token))
                .orElse(false)) {
            return false;
        }
        return MarkerFiles.removeIfSame(CPath.of(file), seen.get().stat()) == MarkerFiles.Removal.REMOVED;
    }

    /**
     * Removes a reader marker if it carries {@code token}, by its name: a reader's name is unique (a random UUID), so
     * nobody else ever creates a file there, and unlinking it directly leaves nothing behind that a writer's scan could
     * count as a reader (as a file moved aside would).
     *
     * @return whether ours was there and is now removed
     */
    static boolean removeReaderIfOurs(Path file, String token) throws IOException {
        Optional<Observed> seen = observe(file);
        if (seen.isEmpty() || !RwMarker.parse(seen.get().content()).map(m -> m.token().equals(token))
                .orElse(false)) {
            return false;
        }
        try {
            LibC.unlink(CPath.of(file));
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return false; // evicted meanwhile
            }
            throw MarkerFiles.failure("unlink", file, e);
        }
    }

    /**
     * Python's eviction of a marker not refreshed for longer than {@code threshold}: move it to a private
     * {@code .break.} name (which readers' scans skip), check that it is still the marker judged (same token, same
     * inode, mtime not advanced by a heartbeat meanwhile) and only then unlink it. A marker moved by mistake is linked
     * back; {@code link(2)} never replaces one created at the path meanwhile.
     *
     * @return the evicted holder's description, or empty when nothing was evicted
     */
    static Optional<String> evictIfStale(Path file, Duration threshold, Instant now) throws IOException {
        Optional<Observed> before = observe(file);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        MarkerStat judged = before.get().stat();
        Duration age = Duration.between(judged.modified(), now);
        if (age.compareTo(threshold) <= 0) {
            return Optional.empty();
        }
        TestHooks.reach("RwMarkerFiles.judgedStale", file); // judged, not yet moved: a heartbeat may land here
        Optional<RwMarker> holder = RwMarker.parse(before.get().content());
        byte[] path = CPath.of(file);
        byte[] aside = CPath.of(file + ".break." + ProcessIdentity.PID + "." + RwMarker.newToken());
        try {
            LibC.rename(path, aside);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return Optional.empty(); // evicted or released meanwhile
            }
            throw MarkerFiles.failure("rename", file, e);
        }
        TestHooks.reach("RwMarkerFiles.movedAside", file); // moved, not yet checked: the path is empty here
        try {
            Observed after = MarkerFiles.observe(Path.of(CPath.show(aside)), aside);
            boolean same = after != null && judged.sameFile(after.stat())
                    && !after.stat().modified().isAfter(judged.modified())
                    && RwMarker.parse(after.content()).map(RwMarker::token)
                            .equals(holder.map(RwMarker::token));
            if (!same) {
                putBack(aside, path, file);
                return Optional.empty();
            }
            return Optional.of(holder.map(RwMarker::describe).orElse("a malformed marker") + ", not refreshed for "
                    + age.toMillis() + " ms (stale threshold " + threshold.toMillis() + " ms)");
        } finally {
            try {
                LibC.unlink(aside);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.ENOENT) {
                    Log.LOGGER.log(Level.WARNING, "Could not delete " + CPath.show(aside), e);
                }
            }
        }
    }

    private static void putBack(byte[] aside, byte[] path, Path file) {
        try {
            LibC.link(aside, path);
        } catch (LastErrorException e) {
            Log.LOGGER.log(Level.ERROR, "Soft-rw marker " + file + " was refreshed while being evicted and could not"
                    + " be put back (errno " + e.getErrorCode() + "): its holder finds it lost at its next heartbeat.");
        }
    }
}
