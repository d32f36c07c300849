package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import io.github.filelock.internal.posix.Statx;
import java.io.IOException;
import java.time.Instant;

/**
 * A marker's identity (device and inode), type and times, kept as values. Two stats name the same file exactly when
 * {@link #sameFile} holds; that is how a breaker proves it moved the marker it judged.
 */
public record MarkerStat(long devMajor, long devMinor, long inode, int mode, Instant modified, Instant born) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    /** The file an open descriptor refers to (what we read or wrote). */
    public static MarkerStat ofDescriptor(int fd) throws LastErrorException {
        Statx statx = new Statx();
        statx.ofDescriptor(fd, Statx.BASIC_AND_BTIME);
        return of(statx);
    }

    /**
     * The file a path names now, without following a symbolic link ({@code lstat}).
     *
     * @return the stat, or {@code null} when nothing is there
     */
    public static MarkerStat ofPath(byte[] path) throws IOException {
        Statx statx = new Statx();
        return statx.ofPath(path, Statx.BASIC_AND_BTIME) ? of(statx) : null;
    }

    private static MarkerStat of(Statx statx) {
        return new MarkerStat(statx.devMajor(), statx.devMinor(), statx.inode(), statx.mode(), statx.modified(),
                statx.born());
    }

    public boolean sameFile(MarkerStat other) {
        return other != null && inode == other.inode && devMajor == other.devMajor && devMinor == other.devMinor;
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** When the marker was created where the file system records it, else its last heartbeat. */
    public Instant since() {
        return born != null ? born : modified;
    }
}
