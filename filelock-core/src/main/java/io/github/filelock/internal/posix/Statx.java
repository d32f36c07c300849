package io.github.filelock.internal.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.time.Instant;

/**
 * One {@code statx(2)} buffer and the one decoder of {@code struct statx} (Linux; the layout is the same on every
 * architecture). The buffer is native memory, reused: a Java array would be copied in and out on every call, and the
 * flock backend calls this on every acquire. Not thread-safe: one per user.
 */
public final class Statx {

    public static final int TYPE = 0x1;
    public static final int MODE = 0x2;
    public static final int NLINK = 0x4;
    public static final int MTIME = 0x40;
    public static final int INO = 0x100;
    public static final int SIZE = 0x200;
    public static final int BASIC_AND_BTIME = 0xfff;
    private static final int BTIME = 0x800;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final byte[] EMPTY_PATH = {0};

    // struct statx: stx_mask u32 @0, stx_nlink u32 @16, stx_mode u16 @28, stx_ino u64 @32, stx_size u64 @40,
    // stx_btime @80, stx_mtime @112, stx_dev_major u32 @136, stx_dev_minor u32 @140; a timestamp is i64 seconds
    // then u32 nanoseconds.
    private final Memory buffer = new Memory(256);

    /** Reads what {@code mask} asks about the file the descriptor refers to. */
    public void ofDescriptor(int fd, int mask) throws LastErrorException {
        LibC.statx(fd, EMPTY_PATH, LibC.AT_EMPTY_PATH, mask, buffer);
    }

    /**
     * Reads what {@code mask} asks about what {@code path} names now, without following a symbolic link.
     *
     * @return false when nothing is there
     */
    public boolean ofPath(byte[] path, int mask) throws IOException {
        try {
            LibC.statx(LibC.AT_FDCWD, path, LibC.AT_SYMLINK_NOFOLLOW, mask, buffer);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT) {
                return false;
            }
            throw new IOException("Cannot stat " + CPath.show(path) + ": " + Errno.describe(e.getErrorCode()), e);
        }
    }

    public int mode() {
        return buffer.getShort(28) & 0xffff;
    }

    public boolean isRegularFile() {
        return (mode() & S_IFMT) == S_IFREG;
    }

    public int linkCount() {
        return buffer.getInt(16);
    }

    public long inode() {
        return buffer.getLong(32);
    }

    public long size() {
        return buffer.getLong(40);
    }

    public long devMajor() {
        return Integer.toUnsignedLong(buffer.getInt(136));
    }

    public long devMinor() {
        return Integer.toUnsignedLong(buffer.getInt(140));
    }

    public Instant modified() {
        return Instant.ofEpochSecond(buffer.getLong(112), Integer.toUnsignedLong(buffer.getInt(120)));
    }

    /** The modification time as one number (seconds, then nanoseconds), for telling two writes apart. */
    public long modifiedStamp() {
        return buffer.getLong(112) * 1_000_000_000L + Integer.toUnsignedLong(buffer.getInt(120));
    }

    /** When the file was created, where the file system records it; else null. */
    public Instant born() {
        return (buffer.getInt(0) & BTIME) != 0
                ? Instant.ofEpochSecond(buffer.getLong(80), Integer.toUnsignedLong(buffer.getInt(88))) : null;
    }

    /** Whether this and {@code other} describe the same file (device and inode). */
    public boolean sameFile(Statx other) {
        return inode() == other.inode() && devMajor() == other.devMajor() && devMinor() == other.devMinor();
    }
}
