package io.github.filelock.internal.soft;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;

/**
 * What {@code statx(2)} says about a marker: its identity (device and inode), type, and times. Two stats name the
 * same file exactly when {@link #sameFile} holds; that is how a breaker proves it moved the marker it judged.
 */
record MarkerStat(long devMajor, long devMinor, long inode, int mode, Instant modified, Instant born) {

    private static final int STATX_ALL_BASIC_AND_BTIME = 0xfff;
    private static final int STATX_BTIME = 0x800;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final byte[] EMPTY_PATH = {0};

    /** The file an open descriptor refers to (what we read or wrote). */
    static MarkerStat ofDescriptor(int fd) {
        byte[] buffer = new byte[256];
        MarkerSyscalls.statx(fd, EMPTY_PATH, MarkerSyscalls.AT_EMPTY_PATH, STATX_ALL_BASIC_AND_BTIME, buffer);
        return decode(buffer);
    }

    /**
     * The file a path names now, without following a symbolic link ({@code lstat}).
     *
     * @return the stat, or {@code null} when nothing is there
     */
    static MarkerStat ofPath(byte[] path) throws IOException {
        byte[] buffer = new byte[256];
        try {
            MarkerSyscalls.statx(MarkerSyscalls.AT_FDCWD, path, MarkerSyscalls.AT_SYMLINK_NOFOLLOW,
                    STATX_ALL_BASIC_AND_BTIME, buffer);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == MarkerSyscalls.ENOENT) {
                return null;
            }
            throw new IOException("Cannot stat " + Paths.show(path) + ": errno " + e.getErrorCode(), e);
        }
        return decode(buffer);
    }

    // struct statx: stx_mask u32 @0, stx_mode u16 @28, stx_ino u64 @32, stx_btime @80, stx_mtime @112,
    // stx_dev_major u32 @136, stx_dev_minor u32 @140; a timestamp is i64 seconds then u32 nanoseconds.
    private static MarkerStat decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        int mask = b.getInt(0);
        Instant modified = Instant.ofEpochSecond(b.getLong(112), Integer.toUnsignedLong(b.getInt(120)));
        Instant born = (mask & STATX_BTIME) != 0
                ? Instant.ofEpochSecond(b.getLong(80), Integer.toUnsignedLong(b.getInt(88))) : null;
        return new MarkerStat(Integer.toUnsignedLong(b.getInt(136)), Integer.toUnsignedLong(b.getInt(140)),
                b.getLong(32), b.getShort(28) & 0xffff, modified, born);
    }

    boolean sameFile(MarkerStat other) {
        return other != null && inode == other.inode && devMajor == other.devMajor && devMinor == other.devMinor;
    }

    boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** When the marker was created where the file system records it, else its last heartbeat. */
    Instant since() {
        return born != null ? born : modified;
    }
}
