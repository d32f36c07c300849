package io.github.filelock.internal.soft;

import io.github.filelock.internal.TestHooks;
import io.github.filelock.internal.soft.MarkerFiles.Removal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Lock;

/**
 * A lock or break marker with this JVM's content that this JVM created and holds, with its open descriptor. Its
 * create and its record in {@link OwnMarkers} are one change, and so are its removal and the record's end, so that no
 * break in this JVM ever judges it half made or half gone; the descriptor is closed only after the record ends, since
 * while it is open the inode cannot be given to another file.
 */
record OwnMarker(Path file, byte[] path, int fd, MarkerStat stat) {

    /**
     * Creates the marker with {@code O_EXCL} and records it as held.
     *
     * @return the marker, or null when something is at the path already
     */
    static OwnMarker create(Path file, byte[] path, byte[] content, int mode) throws IOException {
        Lock change = OwnMarkers.change(file);
        change.lock();
        try {
            int fd = MarkerFiles.createExclusive(file, path, content, mode);
            if (fd < 0) {
                return null;
            }
            MarkerStat stat;
            try {
                TestHooks.reach("OwnMarker.created", file); // a test fails the stat here
                stat = MarkerStat.ofDescriptor(fd);
            } catch (RuntimeException e) {
                // Not held: the marker stays, nobody's here, an orphan that the next acquire here clears.
                MarkerFiles.closeQuietly(fd);
                throw e;
            }
            OwnMarkers.created(stat);
            return new OwnMarker(file, path, fd, stat);
        } finally {
            change.unlock();
        }
    }

    /**
     * Removes the marker if it is still ours (its inode and {@code content}), ends its record and closes it. A break
     * here never has it moved aside meanwhile. If the removal fails, the marker is left an orphan of this JVM.
     */
    Removal release(byte[] content) throws IOException {
        Lock change = OwnMarkers.change(file);
        change.lock();
        try {
            TestHooks.reach("OwnMarker.removing", file); // a test makes the removal fail here
            return MarkerFiles.removeIfSame(path, stat, content);
        } finally {
            OwnMarkers.removed(stat);
            change.unlock();
            MarkerFiles.closeQuietly(fd);
        }
    }
}
