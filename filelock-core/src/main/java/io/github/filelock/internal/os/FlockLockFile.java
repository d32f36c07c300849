package io.github.filelock.internal.os;

import com.sun.jna.LastErrorException;
import io.github.filelock.LockMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/** One lock file open for {@code flock(2)}. */
final class FlockLockFile implements OsLockFile {

    // statx(2): AT_EMPTY_PATH asks about the descriptor itself; the struct layout is arch-independent.
    // The mask asks for no timestamps on purpose: since Linux 6.13 a query of mtime/ctime makes the next write
    // take a fine-grained timestamp and dirty the inode, which made fstat + pwrite slower than statx + pwrite.
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_INO = 0x100;
    private static final int STATX_TYPE_MODE_NLINK_INO_SIZE = 0x1 | 0x2 | 0x4 | STATX_INO | 0x200;
    private static final int STATX_NLINK_OFFSET = 16;
    private static final int STATX_MODE_OFFSET = 28;
    private static final int STATX_INO_OFFSET = 32;
    private static final int STATX_SIZE_OFFSET = 40;
    private static final int STATX_DEV_MAJOR_OFFSET = 136;
    private static final int STATX_DEV_MINOR_OFFSET = 140;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final byte[] EMPTY_PATH = {0};

    private final Platform platform;
    private final Path file;
    private final byte[] path;
    // Native memory: a Java array would be copied in and out on every call, and this runs on every acquire.
    private final com.sun.jna.Memory statxBuffer = new com.sun.jna.Memory(256);
    private final com.sun.jna.Memory pathStatxBuffer = new com.sun.jna.Memory(256);
    private int fd;
    private long knownSize = -1;

    FlockLockFile(Platform platform, Path file, byte[] path, int fd) {
        this.platform = platform;
        this.file = file;
        this.path = path;
        this.fd = fd;
    }

    void refuseIfNotRegular() throws IOException {
        if (platform.linux()) {
            statx();
            int mode = statxBuffer.getShort(STATX_MODE_OFFSET) & 0xffff;
            if ((mode & S_IFMT) != S_IFREG) {
                throw new LockFileRefusedException(file, "not a regular file (mode " + Integer.toOctalString(mode) + ")");
            }
        } else {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isRegularFile()) {
                throw new LockFileRefusedException(file, "not a regular file");
            }
        }
    }

    @Override
    public boolean tryLock(LockMode mode) throws IOException {
        try {
            LibC.flock(fd, operation(mode) | LibC.LOCK_NB);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == platform.ewouldblock()) {
                return false;
            }
            if (e.getErrorCode() == LibC.EINTR) {
                return tryLock(mode);
            }
            throw failure("flock", e);
        }
    }

    @Override
    public void lock(LockMode mode) throws IOException {
        while (true) {
            try {
                LibC.flock(fd, operation(mode));
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw failure("flock", e);
                }
            }
        }
    }

    @Override
    public void unlock() throws IOException {
        try {
            LibC.flock(fd, LibC.LOCK_UN);
        } catch (LastErrorException e) {
            throw failure("unlock", e);
        }
    }

    /**
     * True when the path no longer names the file this descriptor has open: deleted (link count 0), renamed away,
     * or replaced while another link kept the old file alive. Compares the descriptor's device and inode with
     * those of the path (not followed).
     */
    @Override
    public boolean isUnlinked() throws IOException {
        if (!platform.linux()) {
            return false; // no statx; idle-file deletion is not offered on this platform
        }
        statx();
        knownSize = statxBuffer.getLong(STATX_SIZE_OFFSET);
        if (statxBuffer.getInt(STATX_NLINK_OFFSET) == 0) {
            return true;
        }
        try {
            LibC.statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_INO, pathStatxBuffer);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ENOENT) {
                return true;
            }
            throw failure("stat", e);
        }
        return statxBuffer.getLong(STATX_INO_OFFSET) != pathStatxBuffer.getLong(STATX_INO_OFFSET)
                || statxBuffer.getInt(STATX_DEV_MAJOR_OFFSET) != pathStatxBuffer.getInt(STATX_DEV_MAJOR_OFFSET)
                || statxBuffer.getInt(STATX_DEV_MINOR_OFFSET) != pathStatxBuffer.getInt(STATX_DEV_MINOR_OFFSET);
    }

    @Override
    public void writeContent(byte[] content, int length) throws IOException {
        try {
            long written = LibC.pwrite(fd, content, length, 0);
            if (written != length) {
                knownSize = -1;
                throw new IOException("Cannot write holder record to lock file " + file + ": wrote " + written
                        + " of " + length + " bytes");
            }
            if (knownSize < 0 || length < knownSize) {
                LibC.ftruncate(fd, length);
            }
            knownSize = length;
        } catch (LastErrorException e) {
            throw failure("write holder record to", e);
        }
    }

    @Override
    public byte[] readContent(int max) throws IOException {
        byte[] buffer = new byte[max];
        try {
            long n = LibC.pread(fd, buffer, max, 0);
            return Arrays.copyOf(buffer, (int) n);
        } catch (LastErrorException e) {
            throw failure("read", e);
        }
    }

    @Override
    public void unlinkPath() throws IOException {
        try {
            LibC.unlink(path);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.ENOENT) {
                throw failure("delete", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (fd >= 0) {
            int closing = fd;
            fd = -1;
            try {
                LibC.close(closing);
            } catch (LastErrorException e) {
                throw failure("close", e);
            }
        }
    }

    private void statx() throws IOException {
        try {
            LibC.statx(fd, EMPTY_PATH, AT_EMPTY_PATH, STATX_TYPE_MODE_NLINK_INO_SIZE, statxBuffer);
        } catch (LastErrorException e) {
            throw failure("stat", e);
        }
    }

    private static int operation(LockMode mode) {
        return mode == LockMode.SHARED ? LibC.LOCK_SH : LibC.LOCK_EX;
    }

    private IOException failure(String what, LastErrorException e) {
        return new IOException("Cannot " + what + " lock file " + file + ": " + Errno.describe(e.getErrorCode()), e);
    }

    @Override
    public String toString() {
        return "flock(" + file + ", fd " + fd + ")";
    }
}
